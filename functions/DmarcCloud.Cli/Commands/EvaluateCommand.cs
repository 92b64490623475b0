using System.CommandLine;
using System.Text.Json;
using DmarcCloud.Core;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// `dmarccloud evaluate`: runs SPF, DKIM, ARC and DMARC on one message file and prints the Authentication-Results
/// header and the disposition, or (<c>--json</c>) the whole verdict as one JSON object (docs/verdict.md).
/// </summary>
internal sealed class EvaluateCommand : ICliCommand
{
    public string Name => "evaluate";

    public string Description => "evaluate a message as the receiver would: SPF, DKIM, ARC and DMARC, with the Authentication-Results header";

    public IReadOnlyList<Symbol> Parameters =>
        [.. MessageEvaluation.Parameters(), CliParameters.Json()];

    public string Usage => $"evaluate {MessageEvaluation.Usage} [--json]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var evaluation = await MessageEvaluation.FromArgumentsAsync(arguments, cancellationToken).ConfigureAwait(false);
        var json = arguments.Flag("json");
        arguments.EnsureAllTaken();
        var message = await evaluation.ReadMessageAsync(cancellationToken).ConfigureAwait(false);
        var verdict = await evaluation.EvaluateAsync(message, cancellationToken).ConfigureAwait(false);

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(verdict, VerdictJsonContext.Default.Verdict)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync(verdict.AuthenticationResults).ConfigureAwait(false);
        await output.WriteLineAsync($"disposition: {RfcName.Of(verdict.Disposition)}").ConfigureAwait(false);
        if (verdict.Policy is { } policy)
        {
            await output.WriteLineAsync($"policy: _dmarc.{policy.Domain} \"{policy.Record}\" (found by {RfcName.Of(verdict.DiscoveryMethod)})").ConfigureAwait(false);
        }

        foreach (var reason in verdict.Overrides)
        {
            await output.WriteLineAsync($"override: {RfcName.Of(reason.Type)} {reason.Comment}").ConfigureAwait(false);
        }

        if (verdict.DmarcReason is { } why)
        {
            await output.WriteLineAsync($"reason: {why}").ConfigureAwait(false);
        }

        foreach (var warning in verdict.Warnings)
        {
            await output.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        return 0;
    }
}
