using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DmarcCloud.Core;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// `dmarccloud advise &lt;domain&gt; --reports &lt;file|folder&gt;…`: replays the aggregate reports received about the domain
/// under p=quarantine and p=reject and says whether to publish the next rollout step, with the record. The published
/// record is read from DNS (or given with <c>--record</c>). Exit code 0 with advice, 1 when an input could not be read
/// or no report is about the domain, 2 on bad arguments.
/// </summary>
internal sealed class AdviseCommand : ICliCommand
{
    public string Name => "advise";

    public string Description => "replay the aggregate reports received about a domain under p=quarantine and p=reject and advise the next rollout step";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Positionals("domain", "the domain to advise on"),
            CliParameters.Repeatable("reports", "file|folder", "aggregate report files or folders (repeat, or a comma-separated list)"),
            CliParameters.Value("from", "yyyy-mm-dd", "first day of the window (default: the first day with reports)"),
            CliParameters.Value("to", "yyyy-mm-dd", "last day of the window (default: the last day with reports)"),
            CliParameters.Value("record", "dmarc record", "the published DMARC record (instead of reading it from DNS)"),
            .. CliDns.Parameters(),
            CliParameters.Value("report-mailbox", "addr", "the platform's report mailbox (default: the DomainTools__ReportMailbox setting)"),
            CliParameters.Json(),
        ];

    public string Usage =>
        $"advise <domain> --reports <file|folder>... [--from <yyyy-mm-dd>] [--to <yyyy-mm-dd>] [--record <dmarc record> | {CliDns.Usage}] [--report-mailbox <addr>] [--json]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var domain = arguments.RequiredPositional("domain");
        if (!DomainChecker.IsCheckableDomain(domain))
        {
            throw new CliUsageException($"'{domain}' is not a domain name");
        }

        domain = domain.Trim().TrimEnd('.').ToLowerInvariant();
        var inputs = arguments.Options("reports");
        if (inputs.Count == 0)
        {
            throw new CliUsageException("--reports is required");
        }

        var from = Date(arguments.Option("from"), "from");
        var to = Date(arguments.Option("to"), "to");
        var recordText = arguments.Option("record");
        var mailbox = arguments.Option("report-mailbox") ?? Environment.GetEnvironmentVariable(CheckCommand.ReportMailboxVariable);
        var json = arguments.Flag("json");
        DmarcRecord? current = null;
        if (recordText is not null)
        {
            var parsed = DmarcRecord.Parse(recordText);
            current = parsed.IsUsable ? parsed.Record : throw new CliUsageException($"--record is not a usable DMARC record: {string.Join("; ", parsed.Errors)}");
            arguments.EnsureAllTaken();
        }
        else
        {
            var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
            arguments.EnsureAllTaken();
            var lookup = await new DmarcPolicyDiscovery(dns).FindPolicyAsync(domain, DiscoveryMethod.TreeWalk, cancellationToken).ConfigureAwait(false);
            if (lookup.Status == DmarcPolicyLookupStatus.TempError)
            {
                await output.WriteLineAsync($"advise: the DMARC record of {domain} could not be read ({lookup.Error}); give it with --record").ConfigureAwait(false);
                return 1;
            }

            current = lookup.PolicyDomain == domain ? lookup.Record : null;
        }

        var rows = new List<TrafficRow>();
        var failed = false;
        foreach (var file in Files(inputs))
        {
            ReceivedReportFile read;
            try
            {
                await using var stream = File.OpenRead(file);
                read = ReceivedReportReader.Read(stream, null, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                read = ReceivedReportFile.Unreadable("unknown", ex.Message);
            }

            if (read.Error is not null || read.Items.Any(i => !i.Success))
            {
                failed = true;
                await output.WriteLineAsync($"advise: {file}: {read.Error ?? string.Join("; ", read.Items.Where(i => !i.Success).Select(i => i.Error))}").ConfigureAwait(false);
            }

            rows.AddRange(read.Reports.Where(r => r.Aggregate is not null).SelectMany(r => TrafficRows.FromReceived(r.Aggregate!)));
        }

        rows = rows.Where(r => r.HeaderFrom == domain || r.HeaderFrom.EndsWith("." + domain, StringComparison.Ordinal)).ToList();
        if (rows.Count == 0)
        {
            await output.WriteLineAsync($"advise: no aggregate report rows about {domain} in the inputs").ConfigureAwait(false);
            return 1;
        }

        var advice = RolloutAdvisor.Advise(domain, current, rows, from ?? rows.Min(r => r.Day), to ?? rows.Max(r => r.Day), mailbox);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(advice, RolloutJsonContext.Default.RolloutAdvice)).ConfigureAwait(false);
        }
        else
        {
            await WriteTextAsync(advice, output).ConfigureAwait(false);
        }

        return failed ? 1 : 0;
    }

    private static DateOnly? Date(string? text, string name) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new CliUsageException($"--{name} '{text}' is not yyyy-mm-dd");

    private static IEnumerable<string> Files(IEnumerable<string> inputs)
    {
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                foreach (var file in Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else if (File.Exists(input))
            {
                yield return input;
            }
            else
            {
                throw new CliUsageException($"--reports '{input}': no such file or folder");
            }
        }
    }

    private static async Task WriteTextAsync(RolloutAdvice a, TextWriter output)
    {
        var w = new List<string>
        {
            $"domain: {a.Domain}",
            $"window: {a.From:yyyy-MM-dd} .. {a.To:yyyy-MM-dd} ({a.Reject.DaysWithData} day(s) with reports, {a.Reject.Messages} message(s))",
            $"stage: {KebabCaseEnumConverter<RolloutStage>.NameOf(a.Stage)}",
            $"decision: {KebabCaseEnumConverter<RolloutDecision>.NameOf(a.Decision)}",
            $"  {a.Explanation}",
            $"ready for quarantine: {(a.ReadyForQuarantine ? "yes" : "no")}, ready for reject: {(a.ReadyForReject ? "yes" : "no")} (threshold: at most {a.Threshold * 100:0.##}% of legitimate-looking mail failing)",
        };
        if (a.NextStep is { } next)
        {
            w.Add("publish:");
            w.AddRange(next.Records.Select(r => $"  {r.ZoneLine}"));
            if (next.PctRamp.Count > 0)
            {
                w.Add("  or, for receivers still on RFC 7489, step up with pct first (RFC 9989 receivers ignore pct):");
                w.AddRange(next.PctRamp.Select(r => $"    {r.ZoneLine}"));
            }
        }

        if (a.Actions.Count > 0)
        {
            w.Add("to do:");
            w.AddRange(a.Actions.Select(x => $"  - {x}"));
        }

        foreach (var s in new[] { a.Quarantine, a.Reject })
        {
            w.Add(string.Empty);
            w.Add($"under p={RfcName.Of(s.Policy.P)}: {s.WouldQuarantine} quarantined, {s.WouldReject} rejected of {s.Messages} ({s.AffectedShare * 100:0.##}%); failing by tag: p {s.FailingByTag["p"]}, sp {s.FailingByTag["sp"]}, np {s.FailingByTag["np"]}");
            w.Add($"  {"source",-40} {"class",-11} {"messages",8} {"failing",8} {"days",5}");
            foreach (var source in s.Sources)
            {
                var name = source.SourceIp + (source.Service ?? source.ReverseName) switch { null => string.Empty, var n => $" ({n})" };
                w.Add($"  {name,-40} {KebabCaseEnumConverter<SourceClass>.NameOf(source.Class),-11} {source.Messages,8} {source.Failing,8} {source.Days,5}");
            }
        }

        foreach (var line in w)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }
}
