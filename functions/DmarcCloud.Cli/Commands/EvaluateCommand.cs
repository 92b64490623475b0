using System.Globalization;
using System.Net;
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

    public string Usage =>
        $"evaluate <message.eml> --ip <addr> [--helo <name>] [--mail-from <addr>] {CliDns.Usage} [--now <unix>] [--discovery treewalk|psl] [--psl <file>] [--authserv-id <id>] [--json]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredPositional("message file");
        var ipText = arguments.RequiredOption("ip");
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            throw new CliUsageException($"--ip '{ipText}' is not an IPv4 or IPv6 address");
        }

        var helo = arguments.Option("helo");
        var mailFrom = arguments.Option("mail-from");
        var json = arguments.Flag("json");
        var authServId = arguments.Option("authserv-id") ?? "dmarccloud";
        TimeProvider time = TimeProvider.System;
        if (arguments.Option("now") is { } nowText)
        {
            if (!long.TryParse(nowText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
            {
                throw new CliUsageException($"--now '{nowText}' is not a unix time in seconds");
            }

            time = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(unix));
        }

        var method = arguments.Option("discovery") switch
        {
            null or "treewalk" => DiscoveryMethod.TreeWalk,
            "psl" => DiscoveryMethod.Psl,
            var other => throw new CliUsageException($"--discovery '{other}': use treewalk or psl"),
        };
        PublicSuffixList? psl = null;
        if (arguments.Option("psl") is { } pslFile)
        {
            CliFiles.EnsureExists(pslFile, "PSL file");

            psl = await PublicSuffixList.LoadAsync(pslFile, cancellationToken).ConfigureAwait(false);
        }

        var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
        arguments.EnsureAllTaken();
        var message = await MessageFile.ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var options = new MessageEvaluatorOptions
        {
            AuthServId = authServId,
            Dmarc = new DmarcEvaluatorOptions { DiscoveryMethod = method, PublicSuffixList = psl },
        };
        var envelope = new SmtpEnvelope(ip, helo, mailFrom, [], time.GetUtcNow());
        var verdict = await new MessageEvaluator(dns, options, time).EvaluateAsync(envelope, message, cancellationToken).ConfigureAwait(false);

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

    /// <summary>The clock frozen at <c>--now</c>, so signatures with t=/x= verify as they did then.</summary>
    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
