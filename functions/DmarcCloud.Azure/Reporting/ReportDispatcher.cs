using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Sends one stored report to one destination, once: the ledger is checked before (a redelivered message sends
/// nothing), a claim is taken while sending, and the result recorded after. Sends to one destination domain are
/// paced by <see cref="ReporterOptions.MinimumSendInterval"/> (report floods get senders blocked, rspamd#2101).
/// </summary>
public sealed class ReportDispatcher
{
    /// <summary>A claim older than this is taken to be from a sender that died mid-send.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(10);

    private readonly ReportBlobStore _blobs;
    private readonly ReportLedger _ledger;
    private readonly ReportMessageFactory _messages;
    private readonly SmtpReportSender _smtp;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;

    /// <summary>Creates a dispatcher.</summary>
    public ReportDispatcher(ReportBlobStore blobs, ReportLedger ledger, ReportMessageFactory messages, SmtpReportSender smtp, TimeProvider time, ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(smtp);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _blobs = blobs;
        _ledger = ledger;
        _messages = messages;
        _smtp = smtp;
        _time = time;
        _interval = options.MinimumSendInterval;
    }

    /// <summary>Sends <paramref name="report"/> unless it was sent or refused before.</summary>
    /// <remarks>Transient failures (relay unreachable, 4xx) are thrown after releasing the claim, so Service Bus retries.</remarks>
    public async Task<ReportDispatchResult> SendAsync(OutboundReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var before = await _ledger.GetDeliveryAsync(report.ReportId, report.Destination, cancellationToken).ConfigureAwait(false);
        if (Settled(before) is ReportDispatchResult settled)
        {
            return settled;
        }

        if (!await _ledger.TryClaimAsync(report.ReportId, report.Destination, StaleClaim, cancellationToken).ConfigureAwait(false))
        {
            var now = await _ledger.GetDeliveryAsync(report.ReportId, report.Destination, cancellationToken).ConfigureAwait(false);
            return Settled(now) ?? new ReportDispatchResult(ReportDispatchOutcome.InProgressElsewhere, now?.Detail);
        }

        SmtpSendResult result;
        try
        {
            var gzip = await _blobs.DownloadAsync(report.BlobName, cancellationToken).ConfigureAwait(false);
            var message = _messages.Create(report, gzip);
            var domain = ReporterOptions.DomainOf(report.Destination);
            var slot = await _ledger.ReserveSendSlotAsync(domain, _interval, cancellationToken).ConfigureAwait(false);
            var wait = slot - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            result = await _smtp.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Transient: let a redelivery try again. The exception itself travels on unchanged.
            await _ledger.ReleaseClaimAsync(report.ReportId, report.Destination, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var status = result.Accepted ? ReportDeliveryStatus.Sent : ReportDeliveryStatus.Rejected;
        await _ledger.RecordAsync(report.ReportId, report.Destination, status, result.Reply, CancellationToken.None).ConfigureAwait(false);
        return new ReportDispatchResult(result.Accepted ? ReportDispatchOutcome.Sent : ReportDispatchOutcome.Rejected, result.Reply);
    }

    private static ReportDispatchResult? Settled(ReportDelivery? delivery) => delivery?.Status switch
    {
        ReportDeliveryStatus.Sent => new ReportDispatchResult(ReportDispatchOutcome.AlreadySent, delivery.Detail),
        ReportDeliveryStatus.Rejected => new ReportDispatchResult(ReportDispatchOutcome.Rejected, delivery.Detail),
        ReportDeliveryStatus.Unauthorized or ReportDeliveryStatus.Unsupported => new ReportDispatchResult(ReportDispatchOutcome.Rejected, delivery.Detail),
        _ => null,
    };
}
