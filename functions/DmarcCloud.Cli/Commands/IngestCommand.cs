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

        // Each file is read, stored and printed before the next one; its records are never all held: they stream into
        // per-source figures (ReportAccumulator) and, with --json, into the output (JsonReportWriter).
        var singleFile = paths.Count == 1 && files.Count <= 1 && !Directory.Exists(paths[0]);
        var options = sink?.Options ?? ReportIngestOptions.Default;
        using var jsonOut = json ? new JsonReportWriter(output) : null;
        if (singleFile && unreadable.Count == 1)
        {
            if (jsonOut is not null)
            {
                jsonOut.WriteError(unreadable[0].Reason);
            }
            else
            {
                await output.WriteLineAsync($"{paths[0]}: {unreadable[0].Reason}").ConfigureAwait(false);
            }

            return 1;
        }

        if (jsonOut is not null && !singleFile)
        {
            jsonOut.StartArray();
        }

        foreach (var (file, reason) in unreadable)
        {
            if (jsonOut is not null)
            {
                jsonOut.WriteError(reason, file);
            }
            else
            {
                await output.WriteLineAsync($"{file}: {reason}").ConfigureAwait(false);
            }

            failed = true;
        }

        foreach (var file in files)
        {
            var accumulators = sink?.NewAccumulators() ?? new ReportAccumulators(options.MaxSourcesPerReport);
            var buffers = jsonOut?.NewBuffers();
            Action<AggregateRecord>? SinkFor(string origin)
            {
                var accumulate = accumulators.For(origin);
                var buffer = buffers?.For(origin);
                return buffer is null ? accumulate : record => { accumulate(record); buffer(record); };
            }

            ReceivedReportFile result;
            byte[]? bytes = null;
            try
            {
                if (sink is not null && new FileInfo(file).Length <= options.MaxInputBytes)
                {
                    // Stored: read once, keep the raw bytes.
                    bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                    result = ReceivedReportReader.Read(bytes, options, SinkFor, cancellationToken);
                }
                else
                {
                    await using var stream = OpenRead(file);
                    result = ReceivedReportReader.Read(stream, options, SinkFor, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                result = ReceivedReportFile.Unreadable("unknown", $"cannot read the file: {ex.Message}");
            }

            if (sink is not null && bytes is not null)
            {
                var outcome = await sink.StoreAsync(result, bytes, Path.GetFileName(file), "cli", accumulators, cancellationToken).ConfigureAwait(false);
                if (jsonOut is null)
                {
                    await output.WriteLineAsync($"{file}: stored {outcome.Stored}, duplicate {outcome.Duplicates}, rejected {outcome.Rejected}").ConfigureAwait(false);
                }
            }

            if (result.Error is not null)
            {
                failed = true;
                if (jsonOut is null)
                {
                    await output.WriteLineAsync($"{file}: {result.Error}").ConfigureAwait(false);
                }
                else if (singleFile)
                {
                    jsonOut.WriteError(result.Error);
                }
                else
                {
                    jsonOut.WriteError(result.Error, file);
                }

                continue;
            }

            failed |= result.Items.Any(i => !i.Success);
            if (jsonOut is null)
            {
                foreach (var item in result.Items)
                {
                    await output.WriteLineAsync($"{file}: {Describe(item, accumulators.Of(item.Origin))}").ConfigureAwait(false);
                }

                continue;
            }

            if (singleFile)
            {
                jsonOut.StartArray();
            }

            if (!buffers!.Overflowed)
            {
                jsonOut.WriteItems(result.Items, buffers, file);
                continue;
            }

            // More records than the output buffer holds: read the file a second time and stream each report's records
            // into its object as they are parsed (the header comes from the first reading, so the JSON is the same).
            using var streaming = jsonOut.StreamItems(result.Items, file);
            if (bytes is not null)
            {
                ReceivedReportReader.Read(bytes, options, streaming.For, cancellationToken);
            }
            else
            {
                await using var stream = OpenRead(file);
                ReceivedReportReader.Read(stream, options, streaming.For, cancellationToken);
            }
        }

        jsonOut?.EndArray();
        return failed ? 1 : 0;
    }

    private static FileStream OpenRead(string file) => new(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    private static string Describe(ReceivedReport item, ReportAccumulator? figures)
    {
        if (item.Aggregate is { } a)
        {
            var total = (figures ?? ReportAccumulator.Of(a)).Total;
            var warnings = a.Warnings.Count == 0 ? string.Empty : $", {a.Warnings.Count} warning(s)";
            return $"{item.Origin}: aggregate report {a.ReportId} from {(a.OrgName.Length == 0 ? "(no org_name)" : a.OrgName)} about {a.PolicyPublished.Domain}: " +
                   $"{total.Records} record(s), {total.Messages} message(s), {total.DmarcPass} DMARC pass{warnings}";
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
