using System.CommandLine;
using System.Net;
using System.Text.Json;
using DmarcCloud.Core;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Cli.Commands;

/// <summary>`dmarccloud spf`: runs an RFC 7208 check for one client address, HELO name and MAIL FROM.</summary>
internal sealed class SpfCommand : ICliCommand
{
    public string Name => "spf";

    public string Description => "evaluate SPF (RFC 7208) for one SMTP client, HELO name and MAIL FROM";

    public IReadOnlyList<Symbol> Parameters =>
        [
            CliParameters.Value("ip", "addr", "the SMTP client's IPv4 or IPv6 address"),
            CliParameters.Value("helo", "name", "the HELO/EHLO name"),
            CliParameters.Value("mail-from", "addr", "the MAIL FROM address (\"\" or \"<>\" for the null reverse-path)"),
            .. CliDns.Parameters(),
            CliParameters.Json(),
        ];

    public string Usage => $"spf --ip <addr> --helo <name> --mail-from <addr> {CliDns.Usage} [--json]";

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var ipText = arguments.RequiredOption("ip");
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            throw new CliUsageException($"--ip '{ipText}' is not an IPv4 or IPv6 address");
        }

        var helo = arguments.RequiredOption("helo");
        var mailFrom = arguments.RequiredOption("mail-from"); // "" or "<>" is the null reverse-path: postmaster@helo
        var json = arguments.Flag("json");
        var dns = await CliDns.CreateResolverAsync(arguments, cancellationToken).ConfigureAwait(false);
        arguments.EnsureAllTaken();

        var result = await new SpfEvaluator(dns).CheckMailFromAsync(ip, mailFrom, helo, cancellationToken).ConfigureAwait(false);
        var name = RfcName.Of(result.Result);
        if (json)
        {
            var body = new SpfJsonOutput(name, result.Explanation, result.Mechanism, result.DnsLookups, result.VoidLookups);
            await output.WriteLineAsync(JsonSerializer.Serialize(body, SpfJsonContext.Default.SpfJsonOutput)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"spf: {name}").ConfigureAwait(false);
        await output.WriteLineAsync($"domain: {result.Domain}").ConfigureAwait(false);
        if (result.Record is not null)
        {
            await output.WriteLineAsync($"record: {result.Record}").ConfigureAwait(false);
        }

        if (result.Mechanism is not null)
        {
            await output.WriteLineAsync($"mechanism: {result.Mechanism}").ConfigureAwait(false);
        }

        if (result.Explanation is not null)
        {
            await output.WriteLineAsync($"explanation: {result.Explanation}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"dns lookups: {result.DnsLookups}, void lookups: {result.VoidLookups}").ConfigureAwait(false);
        return 0;
    }
}
