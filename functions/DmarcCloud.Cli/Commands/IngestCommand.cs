using System.CommandLine;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// <c>dmarccloud ingest &lt;file|folder|mbox…&gt; [--json] [--store]</c>: reads DMARC aggregate and failure reports from
/// files (XML, gzip, zip, mail, mbox) and folders (every file, recursively). <c>--json</c> prints one normalised
/// object per report; <c>--store</c> also keeps them in the received-report store (Table Storage + Blob, Azurite by
/// default) through <see cref="ReportIngestService"/>, naming source addresses with reverse DNS.
/// Exit code 1 when an input could not be read; the reason is printed, never a stack trace.
/// </summary>
internal sealed class IngestCommand : ICliCommand
{
    public string Name => "ingest";

    public string Description => "read received DMARC aggregate and failure reports from files, folders and mboxes; --store keeps them";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Positionals("file|folder|mbox", "report files (XML, gzip, zip, mail), folders (recursively) and mboxes", int.MaxValue),
            CliParameters.Json(),
            CliParameters.Switch("store", "also keep the reports in the received-report store"),
            CliParameters.Value("connection-string", "cs", "with --store: storage (default: AzureWebJobsStorage, else local Azurite)"),
            .. CliDns.Parameters(),
        ];

    public string Usage => $"ingest <file|folder|mbox>... [--json] [--store [--connection-string <cs>] {CliDns.Usage}]   read received DMARC reports";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var json = arguments.Flag("json");
        var store = arguments.Flag("store");
        var connection = arguments.Option("connection-string");
        var paths = new List<string> { arguments.RequiredPositional("a file, folder or mbox") };
        while (arguments.OptionalPositional() is { } more)
        {
            paths.Add(more);
        }

        ReportIngestService? sink = null;
        if (store)
        {
            var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
            arguments.EnsureAllTaken();
            var connectionString = connection ?? StorageConnectionString();
            var reportStore = new ReceivedReportStore(CliStorage.Tables(connectionString), new BlobServiceClient(connectionString));
            sink = new ReportIngestService(reportStore, new SourceEnricher(dns));
        }
        else if (connection is not null)
        {
            throw new CliUsageException("--connection-string needs --store");
        }
        else
        {
            arguments.EnsureAllTaken();
        }

        var files = new List<string>();
        var failed = false;
        var unreadable = new List<(string File, string Reason)>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                unreadable.Add((path, "no such file or folder"));
            }
        }

        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var singleFile = paths.Count == 1 && files.Count <= 1 && !Directory.Exists(paths[0]);
            var results = new List<(string File, ReceivedReportFile Result)>();
            foreach (var file in files)
            {
                ReceivedReportFile result;
                byte[]? bytes = null;
                try
                {
                    if (sink is not null && new FileInfo(file).Length <= ReportIngestOptions.Default.MaxInputBytes)
                    {
                        // Stored: read once, keep the raw bytes.
                        bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                        result = ReceivedReportReader.Read(bytes, null, cancellationToken);
                    }
                    else
                    {
                        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
                        result = ReceivedReportReader.Read(stream, null, cancellationToken);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    result = ReceivedReportFile.Unreadable("unknown", $"cannot read the file: {ex.Message}");
                }

                results.Add((file, result));
                if (sink is not null && bytes is not null)
                {
                    var outcome = await sink.StoreAsync(result, bytes, Path.GetFileName(file), "cli", cancellationToken).ConfigureAwait(false);
                    if (!json)
                    {
                        await output.WriteLineAsync($"{file}: stored {outcome.Stored}, duplicate {outcome.Duplicates}, rejected {outcome.Rejected}").ConfigureAwait(false);
                    }
                }
            }

            if (singleFile && (unreadable.Count == 1 || (results.Count == 1 && results[0].Result.Error is not null)))
            {
                var reason = unreadable.Count == 1 ? unreadable[0].Reason : results[0].Result.Error!;
                if (json)
                {
                    ReportJson.WriteError(writer, reason);
                }
                else
                {
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"{paths[0]}: {reason}").ConfigureAwait(false);
                }

                failed = true;
            }
            else if (json)
            {
                writer.WriteStartArray();
                foreach (var (file, reason) in unreadable)
                {
                    ReportJson.WriteError(writer, reason, file);
                    failed = true;
                }

                foreach (var (file, result) in results)
                {
                    if (result.Error is not null)
                    {
                        ReportJson.WriteError(writer, result.Error, file);
                        failed = true;
                        continue;
                    }

                    foreach (var item in result.Items)
                    {
                        ReportJson.Write(writer, item, file);
                        failed |= !item.Success;
                    }
                }

                writer.WriteEndArray();
            }
            else
            {
                foreach (var (file, reason) in unreadable)
                {
                    await output.WriteLineAsync($"{file}: {reason}").ConfigureAwait(false);
                    failed = true;
                }

                foreach (var (file, result) in results)
                {
                    if (result.Error is not null)
                    {
                        await output.WriteLineAsync($"{file}: {result.Error}").ConfigureAwait(false);
                        failed = true;
                        continue;
                    }

                    foreach (var item in result.Items)
                    {
                        await output.WriteLineAsync($"{file}: {Describe(item)}").ConfigureAwait(false);
                        failed |= !item.Success;
                    }
                }
            }
        }

        if (json)
        {
            await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
        }

        return failed ? 1 : 0;
    }

    private static string Describe(ReceivedReport item)
    {
        if (item.Aggregate is { } a)
        {
            var messages = a.Records.Sum(r => r.Row.Count);
            var pass = a.Records.Where(r => r.Row.PolicyEvaluated.DmarcPass).Sum(r => r.Row.Count);
            var warnings = a.Warnings.Count == 0 ? string.Empty : $", {a.Warnings.Count} warning(s)";
            return $"{item.Origin}: aggregate report {a.ReportId} from {(a.OrgName.Length == 0 ? "(no org_name)" : a.OrgName)} about {a.PolicyPublished.Domain}: " +
                   $"{a.Records.Count} record(s), {messages} message(s), {pass} DMARC pass{warnings}";
        }

        if (item.Failure is { } f)
        {
            return $"{item.Origin}: failure report ({f.Format}) about {f.ReportedDomain ?? "(unknown domain)"} from {f.SourceIp ?? "(unknown IP)"}, auth-failure {f.AuthFailure ?? "(none)"}";
        }

        return $"{item.Origin}: rejected: {item.Error}";
    }

    private static string StorageConnectionString()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("AzureWebJobsStorage");
        return fromEnvironment is not null && fromEnvironment.Contains('=', StringComparison.Ordinal) ? fromEnvironment : SubmitCommand.AzuriteConnectionString;
    }
}
