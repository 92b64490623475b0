using System.Globalization;
using System.Net;
using Azure;
using Azure.Storage.Blobs;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Reporting.Failure;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>
/// Consumes the <c>failure-reports</c> queue: for each request, each <c>ruf</c> destination gets at most one report,
/// after the loop check, external destination verification (RFC 9990 §4 via RFC 9991 §5), incident aggregation and
/// the rate limits; the report is DKIM-signed and sent through the same signer and SMTP relay as aggregate reports.
/// Every outcome is recorded in <c>ReportLedger</c> (<c>report|ruf:&lt;request id&gt;</c> / destination), so a
/// redelivered request sends nothing twice and counts nothing twice.
/// </summary>
/// <remarks>
/// Transient faults (DNS failure during verification, relay unreachable, 4xx, storage) are thrown: the caller abandons
/// the message and Service Bus redelivers it. Permanent problems are results: <see cref="FailureReportProcessResult.DeadLetter"/>.
/// </remarks>
public sealed class FailureReportProcessor
{
    /// <summary>The ledger's report id of a failure report request.</summary>
    public static string LedgerId(string requestId) => "ruf:" + requestId;

    /// <summary>Originals larger than this are not read (the inbound limit is far below).</summary>
    private const long MaxOriginalBytes = 64L << 20;

    private readonly BlobServiceClient _blobs;
    private readonly ReportLedger _ledger;
    private readonly FailureReportLimiter _limiter;
    private readonly ExternalDestinationVerifier _verifier;
    private readonly ReportMessageFactory _signer;
    private readonly SmtpReportSender _smtp;
    private readonly TimeProvider _time;
    private readonly FailureReporterOptions _options;
    private readonly FailureReportBuilder _builder;

    /// <summary>Creates a processor.</summary>
    public FailureReportProcessor(
        BlobServiceClient blobs,
        ReportLedger ledger,
        FailureReportLimiter limiter,
        ExternalDestinationVerifier verifier,
        ReportMessageFactory signer,
        SmtpReportSender smtp,
        TimeProvider time,
        ReporterOptions reporter,
        FailureReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(smtp);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(reporter);
        ArgumentNullException.ThrowIfNull(options);
        _blobs = blobs;
        _ledger = ledger;
        _limiter = limiter;
        _verifier = verifier;
        _signer = signer;
        _smtp = smtp;
        _time = time;
        _options = options;
        _builder = new FailureReportBuilder(options.ToContentOptions(reporter), time);
    }

    /// <summary>The aggregation window <paramref name="at"/> falls in (windows are aligned to UTC midnight).</summary>
    public long WindowOf(DateTimeOffset at) => at.UtcTicks / _options.AggregationWindow.Ticks;

    /// <summary>Processes one queue message body.</summary>
    public async Task<FailureReportProcessResult> ProcessAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var request = FailureReportRequest.TryParse(body.Span, out var error);
        if (request is null)
        {
            return new FailureReportProcessResult(true, "dead-letter: " + error, []);
        }

        return await ProcessAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Processes one request.</summary>
    public async Task<FailureReportProcessResult> ProcessAsync(FailureReportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ledgerId = LedgerId(request.RequestId);
        var verdict = request.Verdict;
        var fired = FailureReportTriggers.Due(verdict);
        var what = $"{request.RequestId} ({verdict.HeaderFrom ?? "-"} from {verdict.Envelope.ClientIp})";
        if (!_options.Enabled || fired == FailureReportOptions.None)
        {
            var why = !_options.Enabled ? "failure reporting is disabled (FailureReporting__Enabled=false)" : "no fo option fires for this verdict (or the policy is psd=y)";
            return await SkipAsync(ledgerId, what, why, cancellationToken).ConfigureAwait(false);
        }

        var destinations = ReportUriList.Parse(verdict.Policy!.Ruf);
        var outcomes = new List<FailureReportDeliveryOutcome>();
        foreach (var uri in destinations.Unsupported)
        {
            await _ledger.RecordAsync(ledgerId, uri, ReportDeliveryStatus.Unsupported, "only mailto: URIs are supported", cancellationToken).ConfigureAwait(false);
            outcomes.Add(new FailureReportDeliveryOutcome(uri, ReportDeliveryStatus.Unsupported, "only mailto: URIs are supported"));
        }

        // The original is read only when a report is built: aggregated and suppressed requests never touch the blob.
        var original = new OriginalMessage(request.Blob, this);
        foreach (var destination in destinations.Destinations)
        {
            var outcome = await DeliverAsync(ledgerId, request, fired, original, destination, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (outcome.Status == ReportDeliveryStatus.Skipped)
            {
                break; // the message is report mail or gone: the same for every destination
            }
        }

        if (original.Missing)
        {
            return new FailureReportProcessResult(true, $"dead-letter: {what}: the original message {request.Blob} is gone or too large", outcomes);
        }

        var rejected = outcomes.FirstOrDefault(o => o.Status == ReportDeliveryStatus.Rejected);
        var summary = $"{what}: " + (outcomes.Count == 0 ? "no usable ruf destination" : string.Join("; ", outcomes.Select(Describe)));
        return new FailureReportProcessResult(rejected is not null, (rejected is not null ? "dead-letter: " : string.Empty) + summary, outcomes);
    }

    /// <summary>
    /// Sends the summaries of finished aggregation windows: one report per (destination, failure condition) with
    /// <c>Incidents</c> = the failures aggregated after the first, under the same rate limits. Runs from the drain timer.
    /// </summary>
    public async Task<IReadOnlyList<FailureReportDeliveryOutcome>> FlushAsync(CancellationToken cancellationToken = default)
    {
        var current = WindowOf(_time.GetUtcNow());
        var flushed = await _limiter.GetFlushedWindowAsync(cancellationToken).ConfigureAwait(false);
        var oldest = current - Math.Max(1, TimeSpan.FromDays(2).Ticks / _options.AggregationWindow.Ticks);
        var outcomes = new List<FailureReportDeliveryOutcome>();
        for (var window = Math.Max(flushed + 1 ?? oldest, oldest); window < current; window++)
        {
            foreach (var pending in await _limiter.ListPendingAsync(window, cancellationToken).ConfigureAwait(false))
            {
                var destination = pending.GetString("Destination");
                var key = pending.GetString("IncidentKey");
                var (_, aggregated) = await _limiter.ReadAsync(FailureReportLimiter.IncidentBucket(destination, window, key), cancellationToken).ConfigureAwait(false);
                var example = pending.GetString("Request") is { } json ? FailureReportRequest.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out _) : null;
                FailureReportDeliveryOutcome outcome;
                if (example is null || aggregated == 0)
                {
                    outcome = new FailureReportDeliveryOutcome(destination, ReportDeliveryStatus.Skipped, $"{aggregated} aggregated incident(s) of {key}: no example request kept, counted only");
                }
                else
                {
                    var summaryId = $"incidents:{window.ToString(CultureInfo.InvariantCulture)}:{key}";
                    var reportDestination = ReportUriList.Parse(example.Verdict.Policy!.Ruf).Destinations
                        .FirstOrDefault(d => string.Equals(d.Address, destination, StringComparison.OrdinalIgnoreCase))
                        ?? new ReportDestination("mailto:" + destination, destination, ReporterOptions.DomainOf(destination));
                    outcome = await SendWithinLimitsAsync(
                        LedgerId(summaryId), summaryId, example.Verdict, FailureReportTriggers.Due(example.Verdict), (int)Math.Min(aggregated, int.MaxValue),
                        new OriginalMessage(example.Blob, this), reportDestination, cancellationToken).ConfigureAwait(false);
                }

                await _limiter.MarkPendingDoneAsync(pending, $"{outcome.Status}: {outcome.Detail}", cancellationToken).ConfigureAwait(false);
                outcomes.Add(outcome);
            }

            await _limiter.SetFlushedWindowAsync(window, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    private async Task<FailureReportDeliveryOutcome> DeliverAsync(
        string ledgerId, FailureReportRequest request, FailureReportOptions fired, OriginalMessage original, ReportDestination destination, CancellationToken cancellationToken)
    {
        // No ledger look-up first: every step below is idempotent per request (a redelivery gets the earlier incident
        // decision from its marker, and a granted one meets the ledger before anything is sent).
        var verdict = request.Verdict;
        var policyDomain = verdict.Policy!.Domain;
        var verification = await _verifier.VerifyAsync(policyDomain, destination.Domain, cancellationToken).ConfigureAwait(false);
        if (verification.Authorization == DestinationAuthorization.TemporaryFailure)
        {
            throw new DestinationCheckDeferredException(destination.Address, verification.Detail);
        }

        if (!verification.MaySend)
        {
            var detail = "external destination not authorized (RFC 9991 §5, RFC 9990 §4): " + verification.Detail;
            await _ledger.RecordAsync(ledgerId, destination.Address, ReportDeliveryStatus.Unauthorized, detail, cancellationToken).ConfigureAwait(false);
            return new FailureReportDeliveryOutcome(destination.Address, ReportDeliveryStatus.Unauthorized, detail);
        }

        // Identical failures in one window: the first is reported now, the others are counted for the summary.
        var window = WindowOf(_time.GetUtcNow());
        var key = FailureIncident.KeyOf(verdict, fired);
        var incident = await _limiter.CountAsync(FailureReportLimiter.IncidentBucket(destination.Address, window, key), request.RequestId, 1, cancellationToken).ConfigureAwait(false);
        if (!incident.Granted)
        {
            if (incident.Position == 1)
            {
                // The first aggregated failure of this condition notes it for the summary (the others only count).
                await _limiter.NotePendingAsync(window, destination.Address, key, request.ToJson(), cancellationToken).ConfigureAwait(false);
            }

            var detail = $"identical to an earlier failure in window {WindowStart(window):u} (incident {key}, #{incident.Position + 1}); sent as an Incidents summary after the window";
            await _ledger.RecordAsync(ledgerId, destination.Address, ReportDeliveryStatus.Aggregated, detail, cancellationToken).ConfigureAwait(false);
            return new FailureReportDeliveryOutcome(destination.Address, ReportDeliveryStatus.Aggregated, detail, incident.Repeated);
        }

        return await SendWithinLimitsAsync(ledgerId, request.RequestId, verdict, fired, 1, original, destination, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FailureReportDeliveryOutcome> SendWithinLimitsAsync(
        string ledgerId, string requestId, Verdict verdict, FailureReportOptions fired, int incidents, OriginalMessage original, ReportDestination destination, CancellationToken cancellationToken)
    {
        if (Settled(await _ledger.GetDeliveryAsync(ledgerId, destination.Address, cancellationToken).ConfigureAwait(false)) is { } settled)
        {
            return settled;
        }

        var now = _time.GetUtcNow();
        var policyDomain = verdict.Policy!.Domain;
        (string Bucket, long Limit, string What)[] limits =
        [
            (FailureReportLimiter.HourBucket("domain-hour", policyDomain, now), _options.MaxPerPolicyDomainPerHour, $"at most {_options.MaxPerPolicyDomainPerHour} per hour about {policyDomain}"),
            (FailureReportLimiter.DayBucket("domain-day", policyDomain, now), _options.MaxPerPolicyDomainPerDay, $"at most {_options.MaxPerPolicyDomainPerDay} per day about {policyDomain}"),
            (FailureReportLimiter.HourBucket("dest-hour", destination.Address, now), _options.MaxPerDestinationPerHour, $"at most {_options.MaxPerDestinationPerHour} per hour to {destination.Address}"),
            (FailureReportLimiter.DayBucket("dest-day", destination.Address, now), _options.MaxPerDestinationPerDay, $"at most {_options.MaxPerDestinationPerDay} per day to {destination.Address}"),
        ];
        foreach (var (bucket, limit, description) in limits)
        {
            var count = await _limiter.CountAsync(bucket, ledgerId, limit, cancellationToken).ConfigureAwait(false);
            if (!count.Granted)
            {
                var detail = $"rate limit: {description} (suppressed; counted in {bucket})";
                await _ledger.RecordAsync(ledgerId, destination.Address, ReportDeliveryStatus.Suppressed, detail, cancellationToken).ConfigureAwait(false);
                return new FailureReportDeliveryOutcome(destination.Address, ReportDeliveryStatus.Suppressed, detail, count.Repeated);
            }
        }

        // Only now is the original needed: read it once, and never report on report mail (RFC 9991 §5.1, no loops).
        var bytes = await original.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return new FailureReportDeliveryOutcome(destination.Address, ReportDeliveryStatus.Skipped, $"the original message {original.Blob} is gone or too large");
        }

        if (original.LoopReason is { } loop)
        {
            var why = "the message " + loop + ": report mail never triggers a failure report";
            await _ledger.RecordAsync(ledgerId, "*", ReportDeliveryStatus.Skipped, why, cancellationToken).ConfigureAwait(false);
            return new FailureReportDeliveryOutcome("*", ReportDeliveryStatus.Skipped, why);
        }

        var input = new FailureReportInput(requestId, verdict, bytes, fired, incidents);
        if (!await _ledger.TryClaimAsync(ledgerId, destination.Address, ReportDispatcher.StaleClaim, cancellationToken).ConfigureAwait(false))
        {
            var now2 = await _ledger.GetDeliveryAsync(ledgerId, destination.Address, cancellationToken).ConfigureAwait(false);
            return Settled(now2) ?? throw new InvalidOperationException($"{ledgerId} → {destination.Address}: another sender holds the claim; retry later");
        }

        SmtpSendResult result;
        FailureReport report;
        try
        {
            report = _builder.Build(input, destination);
            result = await _smtp.SendAsync(_signer.Sign(report.Message), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await _ledger.ReleaseClaimAsync(ledgerId, destination.Address, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var status = result.Accepted ? ReportDeliveryStatus.Sent : ReportDeliveryStatus.Rejected;
        var sentDetail = $"{result.Reply} (Auth-Failure: {report.AuthFailure}, {report.Size} bytes{(input.Incidents > 1 ? $", Incidents: {input.Incidents}" : string.Empty)}{(report.Notes.Count > 0 ? "; " + string.Join("; ", report.Notes) : string.Empty)})";
        await _ledger.RecordAsync(ledgerId, destination.Address, status, sentDetail, CancellationToken.None).ConfigureAwait(false);
        return new FailureReportDeliveryOutcome(destination.Address, status, sentDetail);
    }

    private async Task<FailureReportProcessResult> SkipAsync(string ledgerId, string what, string why, CancellationToken cancellationToken)
    {
        await _ledger.RecordAsync(ledgerId, "*", ReportDeliveryStatus.Skipped, why, cancellationToken).ConfigureAwait(false);
        return new FailureReportProcessResult(false, $"{what}: skipped: {why}", [new FailureReportDeliveryOutcome("*", ReportDeliveryStatus.Skipped, why)]);
    }

    private async Task<byte[]?> ReadOriginalAsync(string blobPath, CancellationToken cancellationToken)
    {
        var slash = blobPath.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == blobPath.Length - 1)
        {
            return null;
        }

        var blob = _blobs.GetBlobContainerClient(blobPath[..slash]).GetBlobClient(blobPath[(slash + 1)..]);
        try
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (properties.Value.ContentLength > MaxOriginalBytes)
            {
                return null;
            }

            var content = await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private DateTimeOffset WindowStart(long window) => new(window * _options.AggregationWindow.Ticks, TimeSpan.Zero);

    private static FailureReportDeliveryOutcome? Settled(ReportDelivery? delivery) =>
        delivery is null || delivery.Status == ReportDeliveryStatus.Sending ? null : new FailureReportDeliveryOutcome(delivery.Destination, delivery.Status, delivery.Detail, Repeated: true);

    private static string Describe(FailureReportDeliveryOutcome o) =>
        $"{o.Destination}: {o.Status.ToString().ToLowerInvariant()}{(o.Repeated ? " (before)" : string.Empty)} — {o.Detail}";

    /// <summary>The original message of a request, read from its blob at most once and only when a report is built.</summary>
    private sealed class OriginalMessage(string blob, FailureReportProcessor owner)
    {
        private bool _read;
        private byte[]? _bytes;

        public string Blob => blob;

        /// <summary>The blob was read and is gone (or too large).</summary>
        public bool Missing => _read && _bytes is null;

        /// <summary>Why the message is report mail (after <see cref="ReadAsync"/>), or null.</summary>
        public string? LoopReason { get; private set; }

        public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
        {
            if (!_read)
            {
                _bytes = await owner.ReadOriginalAsync(blob, cancellationToken).ConfigureAwait(false);
                _read = true;
                LoopReason = _bytes is null ? null : ReportMailDetector.ReasonIsReport(MessageReader.Parse(_bytes));
            }

            return _bytes;
        }
    }
}
