using System.Security.Cryptography;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.ReportIngest;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DmarcCloud.Functions.ReportMail;

/// <summary>
/// The first intake door: a message on the inbound path whose RCPT TO is a report mailbox (<c>Ingest__Mailboxes</c>)
/// is, after its own evaluation, either refused (its DMARC result does not meet <c>Ingest__Acceptance</c>; recorded
/// in <c>ReceivedReports</c>' rejections table with the reason and the inbound blob) or read and stored through
/// <see cref="ReportIngestService.IngestMessageAsync"/> (dedupe by reporting org and report ID, so a redelivery changes
/// nothing; an unreadable report mail is recorded with its reason there).
/// </summary>
public sealed class ReportMailIntake
{
    /// <summary>The <c>Source</c> recorded for this door.</summary>
    public const string Source = "mail";

    private readonly ReportIngestService _ingest;
    private readonly ReceivedReportStore _store;
    private readonly IngestOptions _options;
    private readonly IReadOnlySet<string> _mailboxes;
    private readonly IReadOnlySet<string> _trustedSealers;
    private readonly TimeProvider _time;

    /// <summary>Creates the intake.</summary>
    public ReportMailIntake(ReportIngestService ingest, ReceivedReportStore store, IOptions<IngestOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ingest = ingest;
        _store = store;
        _options = options.Value;
        _mailboxes = _options.MailboxSet;
        _trustedSealers = _options.TrustedArcSealerSet;
        _time = time;
    }

    /// <summary>Whether one of the envelope's recipients is a report mailbox.</summary>
    public bool IsReportMail(SmtpEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return _mailboxes.Count > 0 && envelope.RcptTo.Any(r => _mailboxes.Contains(r.Trim().Trim('<', '>').ToLowerInvariant()));
    }

    /// <summary>Why <paramref name="verdict"/> does not let a report mail in under <paramref name="options"/>; null when it does.</summary>
    public static string? RefusalReason(Verdict verdict, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Acceptance == ReportMailAcceptance.Any || verdict.Result == DmarcResult.Pass)
        {
            return null;
        }

        var dmarc = $"DMARC {RfcName.Of(verdict.Result)} for From domain {verdict.HeaderFrom ?? "(none)"}";
        if (options.Acceptance == ReportMailAcceptance.DmarcPass)
        {
            return $"refused report mail: {dmarc}; Ingest:Acceptance=DmarcPass requires a DMARC pass";
        }

        return ArcProblem(verdict.Arc, options.TrustedArcSealerSet) is { } arcProblem
            ? $"refused report mail: {dmarc}, and {arcProblem}; Ingest:Acceptance=DmarcPassOrTrustedArc requires a DMARC pass or a trusted ARC chain"
            : null;
    }

    /// <summary>Refuses or ingests the report mail <paramref name="content"/> (the inbound blob <paramref name="blob"/>) after its evaluation.</summary>
    public async Task<ReportMailOutcome> IngestAsync(string blob, ReadOnlyMemory<byte> content, Verdict verdict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (RefusalReason(verdict, _options) is { } reason)
        {
            var rawHash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
            await _store.SaveRejectionAsync(rawHash, Source, reason, blob, blob, Source, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new ReportMailOutcome(false, reason, null);
        }

        // Records stream into per-source figures as the attachment is parsed (memory bounded by the distinct sources).
        var result = await _ingest.IngestMessageAsync(Parse(content), content, blob, Source, cancellationToken).ConfigureAwait(false);
        var counts = string.Join(", ", result.Items.GroupBy(i => i.Outcome).Select(g => $"{g.Count()} {g.Key}"));
        var firstError = result.Items.FirstOrDefault(i => i.Reason is not null)?.Reason;
        return new ReportMailOutcome(true, firstError is null ? counts : $"{counts} ({firstError})", result);
    }

    /// <summary>Why the ARC chain does not vouch for the message; null when it does.</summary>
    private static string? ArcProblem(ArcValidationResult arc, IReadOnlySet<string> trusted)
    {
        if (arc.Status != ArcChainStatus.Pass || arc.Hops.Count == 0)
        {
            return arc.Status == ArcChainStatus.None ? "no ARC chain" : $"the ARC chain fails ({arc.Reason ?? "cv=fail"})";
        }

        // RFC 8617 §5.2: the newest hop's ARC-Authentication-Results is what the last intermediary saw on arrival.
        var newest = arc.Hops.MaxBy(h => h.Instance)!;
        var sealer = newest.SealDomain.ToLowerInvariant();
        if (!trusted.Contains(sealer))
        {
            return $"the ARC chain's newest sealer {sealer} is not in Ingest:TrustedArcSealers";
        }

        var (_, results) = AuthenticationResultsParser.Parse(newest.AuthenticationResults);
        return results.Any(r => r.Method == "dmarc" && r.Result == "pass") ? null : $"the trusted ARC sealer {sealer} recorded no dmarc=pass";
    }

    private static MimeMessage Parse(ReadOnlyMemory<byte> content)
    {
        using var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        var parser = new MimeParser(ParserOptions.Default, stream, MimeFormat.Entity, persistent: false);
        try
        {
            return parser.ParseMessage();
        }
        catch (FormatException)
        {
            // Junk instead of a mail: an empty message, which the reader reports as "no DMARC report found".
            return new MimeMessage();
        }
    }
}
