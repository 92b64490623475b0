using System.CommandLine;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using MimeKit;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// Reads the message file named on the command line (LF or CRLF line ends). A file that is missing, empty, or
/// does not start with a header field (binary data, a report, an archive) is refused with exit 3 rather than
/// given a verdict.
/// </summary>
internal static class MessageFile
{
    /// <summary>What <c>dkim</c> and <c>arc</c> take: the message, DNS, <c>--now</c> and <c>--json</c>.</summary>
    public static IReadOnlyList<Symbol> VerificationParameters() =>
        [CliParameters.Positionals("message.eml", "the message file"), .. CliDns.Parameters(), CliParameters.Now(), CliParameters.Json()];

    /// <summary>The usage text of <see cref="VerificationParameters"/>.</summary>
    public const string VerificationUsage = "<message.eml> " + CliDns.Usage + " [--now <unix>] [--json]";

    /// <summary>
    /// Reads <see cref="VerificationParameters"/>, in the order their errors are reported: <c>--json</c>, <c>--now</c>,
    /// DNS, then the message (missing, empty or not a message is exit 3).
    /// </summary>
    public static async Task<(MimeMessage Message, IDnsResolver Dns, TimeProvider Clock, bool Json)> ReadForVerificationAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var json = arguments.Flag("json");
        var clock = FixedTimeProvider.FromArguments(arguments);
        var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
        var message = await ReadAsync(arguments, cancellationToken).ConfigureAwait(false);
        return (message, dns, clock, json);
    }

    /// <summary>Takes the message path, checks that no argument is left over, then reads and parses the file.</summary>
    public static async Task<MimeMessage> ReadAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredPositional("message.eml");
        arguments.EnsureAllTaken();
        var bytes = await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return MessageReader.Parse(bytes);
    }

    /// <summary>The message's bytes, checked to look like an RFC 5322 message and to be within <see cref="MessageLimits.Default"/>.</summary>
    public static async Task<byte[]> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await CliFiles.ReadAsync(path, "message file", cancellationToken).ConfigureAwait(false);
        if (NotAMessage(bytes) is { } why)
        {
            throw CliFailure.BadInput($"message file '{path}' is not a message: {why}");
        }

        if (MessageLimitsCheck.Check(bytes, MessageLimits.Default) is { } refused)
        {
            throw CliFailure.BadInput($"message file '{path}': {refused}");
        }

        return bytes;
    }

    /// <summary>
    /// Why <paramref name="raw"/> is not an RFC 5322 message, or null: its first line must be a header field
    /// (a name of printable ASCII, then ':'; RFC 5322 §2.2), and its header block must hold no NUL byte.
    /// </summary>
    internal static string? NotAMessage(ReadOnlySpan<byte> raw)
    {
        var nameLength = 0;
        while (nameLength < raw.Length && raw[nameLength] is >= 0x21 and <= 0x7E and not (byte)':')
        {
            nameLength++;
        }

        if (nameLength == 0 || nameLength >= raw.Length || raw[nameLength..].TrimStart(" \t"u8) is not [(byte)':', ..])
        {
            return "it does not start with a header field (name: value)";
        }

        var lf = raw.IndexOf("\n\n"u8);
        var crlf = raw.IndexOf("\r\n\r\n"u8);
        var headerEnd = int.Min(lf < 0 ? raw.Length : lf, crlf < 0 ? raw.Length : crlf);
        return raw[..headerEnd].Contains((byte)0) ? "its header block holds NUL bytes (binary data)" : null;
    }
}
