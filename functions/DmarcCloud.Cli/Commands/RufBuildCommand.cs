using System.CommandLine;
using System.Globalization;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Reporting.Failure;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// `dmarccloud ruf build &lt;message.eml&gt;`: evaluates the message like `evaluate` and prints every failure report
/// (RFC 9991) that DmarcCloud would send for it — one RFC 5322 message per usable <c>ruf</c> destination, To
/// included — and why other destinations get none (not mailto, external and not authorized). Nothing is sent;
/// rate limits and aggregation (which depend on earlier traffic) do not apply here.
/// </summary>
/// <remarks>
/// Report content follows the same settings as the functions (<c>FailureReporting__IncludeBody</c>,
/// <c>__IncludeDkimCanonicalizedHeader</c>, <c>__IncludeDkimCanonicalizedBody</c>, <c>__RedactRecipientLocalParts</c>,
/// <c>__RedactSenderLocalParts</c>, <c>__RedactionKey</c>, <c>__MaxReportBytes</c>; <c>Reporting__FromAddress</c>,
/// <c>Reporting__ReporterDomain</c>), overridable with <c>--include-body</c>, <c>--canonicalized</c>, <c>--no-redact</c>.
/// </remarks>
internal sealed class RufBuildCommand : ICliCommand
{
    public string Name => "ruf build";

    public string Description => "build the DMARC failure reports (AFRF, RFC 6591) a message would cause, one per authorized ruf destination";

    public IReadOnlyList<Symbol> Parameters =>
        [
            .. MessageEvaluation.Parameters(),
            CliParameters.Switch("include-body", "include the message body (default: headers only, or the FailureReporting__IncludeBody setting)"),
            CliParameters.Switch("canonicalized", "include the canonicalized header of a failing DKIM signature"),
            CliParameters.Switch("no-redact", "do not redact the local-parts of addresses"),
        ];

    public string Usage => $"ruf build {MessageEvaluation.Usage} [--include-body] [--canonicalized] [--no-redact]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(output);
        var evaluation = await MessageEvaluation.FromArgumentsAsync(arguments, cancellationToken).ConfigureAwait(false);
        var includeBody = arguments.Flag("include-body") || Setting("FailureReporting__IncludeBody") == true;
        var canonicalized = arguments.Flag("canonicalized");
        var noRedact = arguments.Flag("no-redact");
        arguments.EnsureAllTaken();
        var message = await evaluation.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        var verdict = await evaluation.EvaluateAsync(message, cancellationToken).ConfigureAwait(false);

        var fired = FailureReportTriggers.Due(verdict);
        var dmarc = $"dmarc={Core.RfcName.Of(verdict.Result)} policy={verdict.Policy?.Domain ?? "-"} fo={verdict.Policy?.Fo ?? "(default 0)"}";
        if (fired == FailureReportOptions.None)
        {
            var why = verdict.Policy is null ? "no DMARC policy applies"
                : verdict.Policy.Ruf.Count == 0 ? "the policy has no ruf"
                : verdict.Policy.Psd == PsdFlag.Yes ? "ruf is ignored in a psd=y record (RFC 9991 §2)"
                : "no fo option fires for this message";
            await output.WriteLineAsync($"no failure report: {why} ({dmarc})").ConfigureAwait(false);
            return 1;
        }

        if (ReportMailDetector.ReasonIsReport(Core.Mime.MessageReader.Parse(message)) is { } loop)
        {
            await output.WriteLineAsync($"no failure report: the message {loop} (report mail never triggers reports)").ConfigureAwait(false);
            return 1;
        }

        var reporterDomain = Environment.GetEnvironmentVariable("Reporting__ReporterDomain") ?? "localhost.localdomain";
        var options = new FailureReportContentOptions
        {
            FromAddress = Environment.GetEnvironmentVariable("Reporting__FromAddress") ?? "dmarc-reports@" + reporterDomain,
            ReporterDomain = reporterDomain,
            IncludeBody = includeBody,
            IncludeDkimCanonicalizedHeader = canonicalized || Setting("FailureReporting__IncludeDkimCanonicalizedHeader") == true,
            IncludeDkimCanonicalizedBody = canonicalized || Setting("FailureReporting__IncludeDkimCanonicalizedBody") == true,
            RedactRecipientLocalParts = !noRedact && Setting("FailureReporting__RedactRecipientLocalParts") != false,
            RedactSenderLocalParts = !noRedact && Setting("FailureReporting__RedactSenderLocalParts") == true,
            RedactionKey = Environment.GetEnvironmentVariable("FailureReporting__RedactionKey"),
            MaxReportBytes = long.TryParse(Environment.GetEnvironmentVariable("FailureReporting__MaxReportBytes"), NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                ? max : FailureReportContentOptions.DefaultMaxReportBytes,
        };

        await output.WriteLineAsync($"{dmarc}: fo options that fire: {FailureReportOptionsSyntax.Format(fired)}").ConfigureAwait(false);
        var builder = new FailureReportBuilder(options, evaluation.Time);
        var verifier = new ExternalDestinationVerifier(evaluation.Dns, new DmarcOrganizationalDomainResolver(evaluation.Dns));
        var destinations = ReportUriList.Parse(verdict.Policy!.Ruf);
        foreach (var uri in destinations.Unsupported)
        {
            await output.WriteLineAsync($"# {uri}: not sent: only mailto: URIs are supported").ConfigureAwait(false);
        }

        var built = 0;
        var requestId = Path.GetFileName(evaluation.Path);
        foreach (var destination in destinations.Destinations)
        {
            var verification = await verifier.VerifyAsync(verdict.Policy.Domain, destination.Domain, cancellationToken).ConfigureAwait(false);
            if (!verification.MaySend)
            {
                await output.WriteLineAsync($"# {destination.Address}: not sent: {verification.Authorization}: {verification.Detail}").ConfigureAwait(false);
                continue;
            }

            var report = builder.Build(new FailureReportInput(requestId, verdict, message, fired), destination);
            await output.WriteLineAsync($"# {destination.Address}: Auth-Failure {report.AuthFailure}, {report.Size} bytes (cap {builder.CapFor(destination)}){(report.Notes.Count > 0 ? "; " + string.Join("; ", report.Notes) : string.Empty)}").ConfigureAwait(false);
            await output.WriteAsync(FailureReportBuilder.ToText(report.Message)).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            built++;
        }

        return built > 0 ? 0 : 1;
    }

    private static bool? Setting(string name) =>
        bool.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : null;
}
