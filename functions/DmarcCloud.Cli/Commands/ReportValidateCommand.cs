using System.CommandLine;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Cli.Commands;

/// <summary>`dmarccloud report validate &lt;file.xml[.gz]&gt;`: checks a report against the RFC 9990 and RFC 7489 schemas.</summary>
internal sealed class ReportValidateCommand : ICliCommand
{
    public string Name => "report validate";

    public string Description => "validate an aggregate report against the RFC 9990 and RFC 7489 XSDs";

    public IReadOnlyList<Symbol> Parameters =>
        [CliParameters.Positionals("file.xml[.gz]", "the report file")];

    public string Usage => "report validate <file.xml[.gz]>   validate an aggregate report against the RFC 9990 and RFC 7489 XSDs";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var path = arguments.RequiredPositional("a report file");
        arguments.EnsureAllTaken();
        var bytes = await CliFiles.ReadAsync(path, "report file", cancellationToken).ConfigureAwait(false);
        var validation = AggregateReportSchemaValidator.CreateDefault().Validate(bytes);
        if (validation.Refused is { } refused)
        {
            // Corrupt or over-limit compression (ReportLimits): one line, the file is not a report we can read.
            throw CliFailure.BadInput($"{path}: {refused}");
        }

        await Write(output, "RFC 9990 (urn:ietf:params:xml:ns:dmarc-2.0)", validation.Rfc9990Errors).ConfigureAwait(false);
        await Write(output, "RFC 7489 Appendix C (no namespace)", validation.Rfc7489Errors).ConfigureAwait(false);
        await output.WriteLineAsync(validation.Matched switch
        {
            AggregateReportFormat.Rfc9990 => $"{path}: matches the RFC 9990 schema",
            AggregateReportFormat.Rfc7489 => $"{path}: matches the RFC 7489 schema",
            _ => $"{path}: matches neither schema",
        }).ConfigureAwait(false);
        return validation.Matched is null ? 1 : 0;
    }

    private static async Task Write(TextWriter output, string schema, IReadOnlyList<string> errors)
    {
        await output.WriteLineAsync($"{schema}: {(errors.Count == 0 ? "valid" : $"{errors.Count} error(s)")}").ConfigureAwait(false);
        foreach (var error in errors.Take(20))
        {
            await output.WriteLineAsync("  " + error).ConfigureAwait(false);
        }
    }
}
