using System.Net;

namespace DmarcCloud.Core.Spf;

/// <summary>The values SPF macros expand to (RFC 7208 §7.2).</summary>
internal sealed class SpfMacroContext
{
    public required string Sender { get; init; }

    public required string LocalPart { get; init; }

    public required string SenderDomain { get; init; }

    public required string Domain { get; init; }

    public required IPAddress Client { get; init; }

    public required string Helo { get; init; }

    public required string ReceivingHost { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>%{p}: the validated reverse name, looked up only when a macro asks for it.</summary>
    public required Func<Task<string>> ValidatedNameAsync { get; init; }
}
