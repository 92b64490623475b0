using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// <c>dmarccloud submit</c>: uploads a message to container <c>inbound</c> with its SMTP envelope in the blob
/// metadata (docs/inbound.md), as a mail gateway would. Azurite's development account on 127.0.0.1 by default.
/// With <c>--manifest</c>, submits every message listed in a samples manifest (samples/mail/manifest.json);
/// <c>--received-date yyyy-mm-dd</c> moves every manifest message to that UTC day, keeping its time of day (the
/// local demo submits "yesterday" so the aggregate report timer, which reports finished UTC days, has a day to report).
/// </summary>
internal sealed class SubmitCommand : ICliCommand
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft; not a secret).</summary>
    internal const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    public string Name => "submit";

    public string Description => "put a message (or every message of a samples manifest) into the inbound container, as the SMTP relay does";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Positionals("message.eml", "the message file (not with --manifest)"),
            CliParameters.Value("client-ip", "ip", "the SMTP client's address"),
            CliParameters.Value("helo", "name", "the HELO/EHLO name"),
            CliParameters.Value("mail-from", "addr", "the MAIL FROM address"),
            CliParameters.Value("rcpt-to", "a,b", "the RCPT TO addresses"),
            CliParameters.Value("received-at", "iso8601", "when the message was received (default: now)"),
            CliParameters.Switch("authenticated", "the client authenticated (submission): no DMARC evaluation"),
            CliParameters.Value("manifest", "manifest.json", "submit every message a samples manifest lists"),
            CliParameters.Value("received-date", "yyyy-mm-dd", "with --manifest: move every message to this UTC day"),
            CliParameters.Value("connection-string", "cs", "storage (default: AzureWebJobsStorage when it is a connection string, else local Azurite)"),
        ];

    public string Usage =>
        "submit <message.eml> --client-ip <ip> [--helo <name>] [--mail-from <addr>] [--rcpt-to <a,b>] [--received-at <iso8601>] " +
        "[--authenticated] [--connection-string <cs>] | submit --manifest <manifest.json> [--received-date <yyyy-mm-dd>] [--connection-string <cs>]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        // --connection-string, else AzureWebJobsStorage when it holds a connection string, else local Azurite.
        var fromEnvironment = Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        var connection = arguments.Option("connection-string")
            ?? (fromEnvironment is not null && fromEnvironment.Contains('=', StringComparison.Ordinal) ? fromEnvironment : AzuriteConnectionString);
        var manifest = arguments.Option("manifest");
        var submissions = new List<(string File, SmtpEnvelope Envelope)>();
        if (manifest is not null)
        {
            DateOnly? receivedDate = null;
            if (arguments.Option("received-date") is { } dateText)
            {
                receivedDate = DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                    ? parsed
                    : throw new CliUsageException($"--received-date: '{dateText}' is not a yyyy-mm-dd date");
            }

            arguments.EnsureAllTaken();
            submissions.AddRange(ReadManifest(manifest, receivedDate));
        }
        else
        {
            var file = arguments.RequiredPositional("<message.eml>");
            var envelope = ReadEnvelope(arguments);
            arguments.EnsureAllTaken();
            await MessageFile.ReadBytesAsync(file, cancellationToken).ConfigureAwait(false);

            submissions.Add((file, envelope));
        }

        var container = CliStorage.Container(connection, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var (file, envelope) in submissions)
        {
            var name = $"{envelope.ReceivedAt.UtcDateTime:yyyy/MM/dd}/{Guid.NewGuid():N}-{Path.GetFileName(file)}";
            var blob = container.GetBlobClient(name);
            await using var content = File.OpenRead(file);
            await blob.UploadAsync(content, new BlobUploadOptions
            {
                Metadata = InboundMetadata.ToMetadata(envelope),
                HttpHeaders = new BlobHttpHeaders { ContentType = "message/rfc822" },
            }, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{InboundMetadata.Container}/{name}").ConfigureAwait(false);
        }

        return 0;
    }

    private static SmtpEnvelope ReadEnvelope(CliArguments arguments)
    {
        var ipText = arguments.RequiredOption("client-ip");
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            throw new CliUsageException($"--client-ip: '{ipText}' is not an IP address");
        }

        var receivedAt = DateTimeOffset.UtcNow;
        if (arguments.Option("received-at") is { } receivedText &&
            !DateTimeOffset.TryParse(receivedText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out receivedAt))
        {
            throw new CliUsageException($"--received-at: '{receivedText}' is not an ISO 8601 time");
        }

        var rcptTo = (arguments.Option("rcpt-to") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new SmtpEnvelope(ip, arguments.Option("helo"), arguments.Option("mail-from"), rcptTo, receivedAt, arguments.Flag("authenticated"));
    }

    private static IEnumerable<(string, SmtpEnvelope)> ReadManifest(string path, DateOnly? receivedDate)
    {
        CliFiles.EnsureExists(path, "manifest");

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var result = new List<(string, SmtpEnvelope)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            string? Get(string name) => entry.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var file = Path.Combine(folder, Get("file") ?? throw new CliUsageException($"{path}: an entry has no file"));
            var ip = IPAddress.Parse(Get("clientIp") ?? throw new CliUsageException($"{path}: {file} has no clientIp"));
            var rcpt = entry.TryGetProperty("rcptTo", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
            var receivedAt = (Get("receivedAt") is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow).ToUniversalTime();
            if (receivedDate is DateOnly date)
            {
                receivedAt = new DateTimeOffset(date.ToDateTime(TimeOnly.FromTimeSpan(receivedAt.TimeOfDay)), TimeSpan.Zero);
            }

            result.Add((file, new SmtpEnvelope(ip, Get("helo"), Get("mailFrom"), rcpt, receivedAt)));
        }

        return result;
    }
}
