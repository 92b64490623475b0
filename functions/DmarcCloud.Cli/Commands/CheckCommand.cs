using System.CommandLine;
using System.Text.Json;
using DmarcCloud.Core.DomainCheck;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// `dmarccloud check &lt;domain&gt;`: audits the domain's DMARC, SPF and DKIM records and prints the findings, each with
/// its RFC section and the record that fixes it, then the DMARC record to publish now. Exit code 0 when no finding is
/// an error, 1 when one is, 2 on bad arguments. <c>--json</c> prints the report as documented in docs/domain-tools.md.
/// </summary>
internal sealed class CheckCommand : ICliCommand
{
    /// <summary>The setting (environment variable) naming the platform's report mailbox when <c>--report-mailbox</c> is not given.</summary>
    public const string ReportMailboxVariable = "DomainTools__ReportMailbox";

    public string Name => "check";

    public string Description => "audit a domain's DMARC, SPF and DKIM records: findings with their RFC section and the record that fixes each";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Positionals("domain", "the domain to check"),
            CliParameters.Repeatable("selector", "s", "a DKIM selector to check (repeat, or a comma-separated list)"),
            .. CliDns.Parameters(),
            CliParameters.Value("compare-with", "host[:port]|zone file", "a second DNS view to compare with (propagation)"),
            CliParameters.Value("report-mailbox", "addr", "the platform's report mailbox (default: the DomainTools__ReportMailbox setting)"),
            CliParameters.Json(),
        ];

    public string Usage =>
        $"check <domain> [--selector <s>]… {CliDns.Usage} [--compare-with <host[:port]>|<zone file>] [--report-mailbox <addr>] [--json]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var domain = arguments.RequiredPositional("domain");
        if (!DomainChecker.IsCheckableDomain(domain))
        {
            throw new CliUsageException($"'{domain}' is not a domain name (ASCII labels, at least two; use the A-label form of an IDN)");
        }

        var selectors = arguments.Options("selector");
        if (selectors.FirstOrDefault(s => !DomainChecker.IsCheckableDomain(s + ".x")) is { } badSelector)
        {
            throw new CliUsageException($"--selector '{badSelector}' is not a DNS label sequence");
        }

        var json = arguments.Flag("json");
        var mailbox = arguments.Option("report-mailbox") ?? Environment.GetEnvironmentVariable(ReportMailboxVariable);
        if (mailbox is not null && (mailbox.Trim().Length == 0 || !mailbox.Contains('@', StringComparison.Ordinal)))
        {
            throw new CliUsageException($"--report-mailbox '{mailbox}' is not a mail address");
        }

        var compareWith = arguments.Option("compare-with");
        var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
        var second = compareWith is null ? null : await CliDns.CreateResolverFromAsync(compareWith, cancellationToken).ConfigureAwait(false);
        arguments.EnsureAllTaken();

        var checker = new DomainChecker(dns, new DomainCheckOptions { ReportMailbox = mailbox });
        var report = await checker.CheckAsync(domain, selectors, second, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, DomainCheckJsonContext.Default.DomainCheckReport)).ConfigureAwait(false);
        }
        else
        {
            await CheckReportText.WriteAsync(report, compareWith, output).ConfigureAwait(false);
        }

        return report.HasErrors ? 1 : 0;
    }
}
