using System.CommandLine;
using System.Globalization;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// `dmarccloud report build --domain &lt;d&gt; --date &lt;yyyy-mm-dd&gt; [--out &lt;dir&gt;] [--connection-string &lt;cs&gt;]`: builds the
/// aggregate report file(s) of one policy domain and UTC day from the verdict store (Azurite by default),
/// exactly as BuildAggregateReport would, and writes them to a folder. Nothing is sent.
/// </summary>
/// <remarks>Reporter metadata comes from the same settings as the functions (<c>Reporting__OrgName</c>, <c>Reporting__Email</c>,
/// <c>Reporting__ReporterDomain</c>, <c>Reporting__Format</c>, …) with local defaults when unset.</remarks>
internal sealed class ReportBuildCommand(Func<string, IVerdictStore> openStore) : ICliCommand
{
    /// <summary>Azurite's well-known development connection string.</summary>
    public const string AzuriteConnectionString = "UseDevelopmentStorage=true";

    public string Name => "report build";

    public string Description => "build the aggregate report (RFC 9990 or RFC 7489) of a domain for one UTC day from stored verdicts";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Value("domain", "d", "the domain the report is about"),
            CliParameters.Value("date", "yyyy-mm-dd", "the UTC day"),
            CliParameters.Value("out", "dir", "where to write the report (default: the current folder)"),
            CliParameters.Value("connection-string", "cs", "storage (default: AzureWebJobsStorage, else local Azurite)"),
            CliParameters.Value("format", "rfc9990|rfc7489", "the report format (default: the Reporting__Format setting, else rfc9990)"),
            CliParameters.Value("max-bytes", "n", "the largest report to write (default: the Reporting__MaxReportBytes setting)"),
            CliParameters.Switch("mask-ips", "mask source addresses"),
        ];

    public string Usage => "report build --domain <d> --date <yyyy-mm-dd> [--out <dir>] [--connection-string <cs>] [--format rfc9990|rfc7489] [--max-bytes <n>] [--mask-ips]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var domain = arguments.RequiredOption("domain").Trim().TrimEnd('.').ToLowerInvariant();
        var dateText = arguments.RequiredOption("date");
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new CliUsageException($"--date '{dateText}' is not yyyy-mm-dd");
        }

        var outDir = arguments.Option("out") ?? Directory.GetCurrentDirectory();
        var connectionString = arguments.Option("connection-string")
            ?? Environment.GetEnvironmentVariable("AzureWebJobsStorage") ?? AzuriteConnectionString;
        var format = (arguments.Option("format") ?? Environment.GetEnvironmentVariable("Reporting__Format") ?? "rfc9990").ToLowerInvariant() switch
        {
            "rfc9990" => AggregateReportFormat.Rfc9990,
            "rfc7489" => AggregateReportFormat.Rfc7489,
            var other => throw new CliUsageException($"--format '{other}' is not rfc9990 or rfc7489"),
        };
        var maxBytesText = arguments.Option("max-bytes") ?? Environment.GetEnvironmentVariable("Reporting__MaxReportBytes");
        var maxBytes = AggregateReportPackager.DefaultMaxCompressedBytes;
        if (maxBytesText is not null && (!int.TryParse(maxBytesText, NumberStyles.None, CultureInfo.InvariantCulture, out maxBytes) || maxBytes < 1024))
        {
            throw new CliUsageException($"--max-bytes '{maxBytesText}' must be a number of at least 1024");
        }

        var mask = arguments.Flag("mask-ips");
        arguments.EnsureAllTaken();

        var organization = new ReportingOrganization(
            Environment.GetEnvironmentVariable("Reporting__OrgName") ?? "DmarcCloud (local)",
            Environment.GetEnvironmentVariable("Reporting__Email") ?? "dmarc-reports@localhost.localdomain",
            Environment.GetEnvironmentVariable("Reporting__ReporterDomain") ?? "localhost.localdomain",
            Environment.GetEnvironmentVariable("Reporting__ExtraContactInfo"));
        var store = openStore(connectionString);
        var contents = await new AggregateReportBuilder(mask).BuildAsync(store.ReadAsync(day, domain, cancellationToken), day, cancellationToken).ConfigureAwait(false);
        if (contents.Count == 0)
        {
            await output.WriteLineAsync($"no verdicts for {domain} on {day:yyyy-MM-dd}").ConfigureAwait(false);
            return 1;
        }

        Directory.CreateDirectory(outDir);
        var packager = new AggregateReportPackager(organization, format, maxBytes);
        var validator = AggregateReportSchemaValidator.CreateDefault();
        foreach (var content in contents)
        {
            foreach (var file in packager.Package(content))
            {
                var path = Path.Combine(outDir, file.FileName);
                await File.WriteAllBytesAsync(path, file.Content.ToArray(), cancellationToken).ConfigureAwait(false);
                var valid = validator.Validate(file.Content.Span).IsValid(format);
                await output.WriteLineAsync(
                    $"{path}  part {file.Part}/{file.PartCount}  {file.RowCount} rows  {file.MessageCount} messages  {file.Content.Length} bytes  Report-ID {file.ReportId}  {(valid ? "schema-valid" : "SCHEMA-INVALID")}")
                    .ConfigureAwait(false);
            }
        }

        return 0;
    }
}
