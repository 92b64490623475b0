using System.CommandLine;
using System.Net;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Cli.Commands;

/// <summary>
/// The options `evaluate` and `ruf build` share: the message file, the SMTP envelope (<c>--ip --helo --mail-from
/// --rcpt-to</c>), DNS, <c>--now</c>, <c>--discovery</c>, <c>--psl</c> and <c>--authserv-id</c>; and the evaluation itself.
/// </summary>
internal sealed record MessageEvaluation(string Path, SmtpEnvelope Envelope, MessageEvaluatorOptions Options, IDnsResolver Dns, TimeProvider Time)
{
    /// <summary>The usage text of these options.</summary>
    public const string Usage =
        "<message.eml> --ip <addr> [--helo <name>] [--mail-from <addr>] [--rcpt-to <addr>[,<addr>…]] " + CliDns.Usage + " [--now <unix>] [--discovery treewalk|psl] [--psl <file>] [--authserv-id <id>]";

    /// <summary>These options, for the commands' parameters.</summary>
    public static IEnumerable<Symbol> Parameters() =>
    [
        CliParameters.Positionals("message.eml", "the message file"),
        CliParameters.Value("ip", "addr", "the SMTP client's IPv4 or IPv6 address"),
        CliParameters.Value("helo", "name", "the HELO/EHLO name"),
        CliParameters.Value("mail-from", "addr", "the MAIL FROM address"),
        CliParameters.Value("rcpt-to", "addr[,addr…]", "the RCPT TO addresses"),
        .. CliDns.Parameters(),
        CliParameters.Now(),
        CliParameters.Value("discovery", "treewalk|psl", "how the organizational domain is found: the DNS tree walk (RFC 9989, default) or the public suffix list"),
        CliParameters.Value("psl", "file", "the public suffix list file for --discovery psl"),
        CliParameters.Value("authserv-id", "id", "the authserv-id of the Authentication-Results header (default: dmarccloud)"),
    ];

    /// <summary>Takes the shared options from <paramref name="arguments"/> (bad values are usage errors).</summary>
    public static async Task<MessageEvaluation> FromArgumentsAsync(CliArguments arguments, CancellationToken cancellationToken)
    {
        var path = arguments.RequiredPositional("message file");
        var ipText = arguments.RequiredOption("ip");
        if (!IPAddress.TryParse(ipText, out var ip))
        {
            throw new CliUsageException($"--ip '{ipText}' is not an IPv4 or IPv6 address");
        }

        var helo = arguments.Option("helo");
        var mailFrom = arguments.Option("mail-from");
        var rcptTo = arguments.Option("rcpt-to") is { } r ? r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var authServId = arguments.Option("authserv-id") ?? "dmarccloud";
        var time = FixedTimeProvider.FromArguments(arguments);
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
        var options = new MessageEvaluatorOptions
        {
            AuthServId = authServId,
            Dmarc = new DmarcEvaluatorOptions { DiscoveryMethod = method, PublicSuffixList = psl },
        };
        return new MessageEvaluation(path, new SmtpEnvelope(ip, helo, mailFrom, rcptTo, time.GetUtcNow()), options, dns, time);
    }

    /// <summary>Reads the message file: missing, empty, binary or over-limit files are refused (<see cref="MessageFile"/>).</summary>
    public Task<byte[]> ReadMessageAsync(CancellationToken cancellationToken) => MessageFile.ReadBytesAsync(Path, cancellationToken);

    /// <summary>Evaluates <paramref name="message"/> under this envelope, DNS and clock.</summary>
    public Task<Verdict> EvaluateAsync(byte[] message, CancellationToken cancellationToken) =>
        new MessageEvaluator(Dns, Options, Time).EvaluateAsync(Envelope, message, cancellationToken);
}
