using DmarcCloud.Core.Mime;
using MimeKit;

namespace DmarcCloud.Cli.Commands;

/// <summary>Reads the message file named on the command line (LF or CRLF line ends).</summary>
internal static class MessageFile
{
    public static async Task<MimeMessage> ReadAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredPositional("message.eml");
        if (!File.Exists(path))
        {
            throw new CliUsageException($"message file '{path}' not found");
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return MessageReader.Parse(bytes);
    }
}
