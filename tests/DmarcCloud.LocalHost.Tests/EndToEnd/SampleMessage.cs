using System.Globalization;
using System.Net;
using System.Text.Json;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>One entry of samples/mail/manifest.json.</summary>
internal sealed record SampleMessage(string File, SmtpEnvelope Envelope, string? ExpectDmarc)
{
    public static IReadOnlyList<SampleMessage> ReadManifest()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(RepositoryPaths.Combine("samples", "mail", "manifest.json")));
        return [.. document.RootElement.EnumerateArray().Select(e => new SampleMessage(
            e.GetProperty("file").GetString()!,
            new SmtpEnvelope(
                IPAddress.Parse(e.GetProperty("clientIp").GetString()!),
                e.TryGetProperty("helo", out var helo) ? helo.GetString() : null,
                e.TryGetProperty("mailFrom", out var mailFrom) ? mailFrom.GetString() : null,
                e.TryGetProperty("rcptTo", out var rcpt) ? [.. rcpt.EnumerateArray().Select(r => r.GetString()!)] : [],
                e.TryGetProperty("receivedAt", out var at) ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow,
                e.TryGetProperty("authenticated", out var auth) && auth.GetBoolean()),
            e.TryGetProperty("expectDmarc", out var expect) ? expect.GetString() : null))];
    }

    public BinaryData Content => BinaryData.FromBytes(System.IO.File.ReadAllBytes(RepositoryPaths.Combine("samples", "mail", File)));
}
