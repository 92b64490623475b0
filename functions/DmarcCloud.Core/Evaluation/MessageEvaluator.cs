using System.Text;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Spf;
using MimeKit;

namespace DmarcCloud.Core.Evaluation;

/// <summary>
/// Runs SPF (MAIL FROM and HELO), DKIM, ARC and DMARC for one message and returns its <see cref="Verdict"/>
/// with the rendered Authentication-Results field. The message is parsed once.
/// </summary>
/// <remarks>
/// RFC 9989 §4.8 (evaluation order), §4.6 (SPF identity: MAIL FROM, or HELO for a null reverse-path),
/// RFC 8601 (the header). Bad input never throws: a message without a usable From field gets DMARC permerror
/// with the reason; DNS outages become temperror results inside the verdict.
/// </remarks>
public sealed class MessageEvaluator : IMessageEvaluator
{
    private readonly MessageEvaluatorOptions _options;
    private readonly TimeProvider _time;

    // Built once and shared by every message: they hold only options and (for SPF) a bounded cache of
    // parsed records, which would be thrown away if a checker were built per message.
    private readonly SpfEvaluator _spf;
    private readonly DkimVerifier _dkim;
    private readonly ArcValidator _arc;
    private readonly DmarcEvaluator _dmarc;

    /// <summary>Creates an evaluator over <paramref name="dns"/>. The options are read here, once.</summary>
    public MessageEvaluator(IDnsResolver dns, MessageEvaluatorOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _options = options ?? new MessageEvaluatorOptions();
        _time = timeProvider ?? TimeProvider.System;
        _spf = new SpfEvaluator(dns, _options.Spf);
        var keys = new DkimKeyLocator(dns); // one parsed-key cache for DKIM and ARC
        _dkim = new DkimVerifier(keys, _options.Dkim, _time);
        _arc = new ArcValidator(keys, _options.Arc, _time);
        _dmarc = new DmarcEvaluator(dns, _options.Dmarc);
    }

    /// <inheritdoc />
    public async Task<Verdict> EvaluateAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);

        // Limits first, in one linear scan: nothing below (MimeKit, canonicalization, hashing) sees a message over them.
        var refusal = MessageLimitsCheck.Check(message.Span, _options.Limits);
        // The top-level fields and the body bytes are all DKIM, ARC and DMARC read: no MIME parsing of the body.
        var mime = refusal is null ? RawMessage.Parse(message) : null;

        SpfCheckResult? spf = null;
        SpfCheckResult? spfHelo = null;
        if (!string.IsNullOrEmpty(envelope.MailFrom) || !string.IsNullOrEmpty(envelope.Helo))
        {
            // RFC 9989 §4.6: DMARC uses the MAIL FROM identity; for a null reverse-path, the HELO identity
            // (checked as postmaster@HELO, RFC 7208 §2.4).
            spf = await _spf.CheckMailFromAsync(envelope.ClientIp, envelope.MailFrom, envelope.Helo, cancellationToken).ConfigureAwait(false);
        }

        if (_options.CheckHelo && !string.IsNullOrEmpty(envelope.Helo) && !string.IsNullOrEmpty(envelope.MailFrom))
        {
            spfHelo = await _spf.CheckHeloAsync(envelope.ClientIp, envelope.Helo, cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<DkimSignatureResult> dkim = [];
        var arc = ArcValidationResult.NoChain;
        AuthorDomainResult author;
        if (mime is null)
        {
            // A refused message: no signature is verified and DMARC is permerror with the limit as its reason.
            author = new AuthorDomainResult(AuthorDomainProblem.MessageRefused, [], [], refusal);
        }
        else
        {
            // One header list and one set of body hashes for DKIM and ARC.
            using var hasher = new DkimHasher(mime);
            dkim = await _dkim.VerifyAsync(hasher, cancellationToken).ConfigureAwait(false);
            arc = await _arc.ValidateAsync(hasher, cancellationToken).ConfigureAwait(false);
            author = AuthorDomain.Parse(FromFieldValues(mime));
        }

        var dmarc = await _dmarc
            .EvaluateAsync(new DmarcEvaluationInput(author, spf, dkim, arc, envelope.ClientIp, envelope.Authenticated), cancellationToken)
            .ConfigureAwait(false);

        var verdict = BuildVerdict(envelope, _time.GetUtcNow(), author, spf, spfHelo, dkim, arc, dmarc, _options.Dmarc);
        return verdict with { AuthenticationResults = VerdictAuthenticationResults.Render(verdict, _options.AuthServId) };
    }

    /// <summary>Assembles a verdict from the results of each check (also used by tools that ran the checks themselves).</summary>
    public static Verdict BuildVerdict(
        SmtpEnvelope envelope,
        DateTimeOffset evaluatedAt,
        AuthorDomainResult author,
        SpfCheckResult? spf,
        SpfCheckResult? spfHelo,
        IReadOnlyList<DkimSignatureResult> dkim,
        ArcValidationResult arc,
        DmarcEvaluation dmarc,
        DmarcEvaluatorOptions dmarcOptions)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(dmarc);
        ArgumentNullException.ThrowIfNull(dmarcOptions);
        var record = dmarc.Record;
        var psl = dmarc.DiscoveryMethod == DiscoveryMethod.Psl ? dmarcOptions.PublicSuffixList ?? PublicSuffixList.Embedded : null;
        return new Verdict
        {
            Envelope = envelope,
            EvaluatedAt = evaluatedAt,
            HeaderFrom = dmarc.AuthorDomain ?? author.Domain,
            HeaderFromProblem = author.Problem == AuthorDomainProblem.None ? null : author.Detail,
            AuthorDomains = author.Domains,
            Spf = spf,
            SpfHelo = spfHelo,
            Dkim = dkim,
            Arc = arc,
            Result = dmarc.Result,
            SpfAligned = dmarc.SpfAligned,
            DkimAligned = dmarc.DkimAligned,
            AlignedDkimDomain = dmarc.AlignedDkimDomain,
            Policy = record is null ? null : record.ToPublishedPolicy(dmarc.PolicyDomain!, dmarc.DiscoveryMethod),
            OrganizationalDomain = dmarc.OrganizationalDomain,
            RequestedPolicy = dmarc.RequestedPolicy,
            EffectivePolicy = dmarc.Result == DmarcResult.Fail ? dmarc.EffectivePolicy : null,
            Disposition = dmarc.Disposition,
            Overrides = dmarc.Overrides,
            Warnings = dmarc.Warnings,
            DiscoveryMethod = dmarc.DiscoveryMethod,
            DmarcQueries = dmarc.Queries,
            AuthorDomainExists = dmarc.AuthorDomainExists,
            DmarcReason = dmarc.Reason,
            PublicSuffixList = psl is null ? null : $"{psl.Source} {psl.Date:yyyy-MM-dd}",
            PublicSuffixListAgeDays = psl?.AgeInDays(DateOnly.FromDateTime(evaluatedAt.UtcDateTime)),
        };
    }

    /// <summary>The raw values of every From field (raw bytes as UTF-8, so RFC 2047 words stay undecoded and commas in them harmless).</summary>
    private static List<string> FromFieldValues(RawMessage message) =>
        message.Headers
            .Where(h => h.Id == HeaderId.From)
            .Select(h => Encoding.UTF8.GetString(h.RawValue))
            .ToList();
}
