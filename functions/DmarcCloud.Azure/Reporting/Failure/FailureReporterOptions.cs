using DmarcCloud.Core.Reporting.Failure;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>
/// Failure report settings (section <c>FailureReporting</c>, app settings <c>FailureReporting__*</c>): what a report
/// may contain, the rate limits and the aggregation window. Who sends and how (From, SMTP relay, DKIM key) comes from
/// <see cref="ReporterOptions"/>, shared with aggregate reports. Documented in docs/reporting.md.
/// </summary>
public sealed class FailureReporterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "FailureReporting";

    /// <summary>Send failure reports at all (default true). Off: every request is recorded as skipped.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Include the whole message (<c>message/rfc822</c>) instead of its header fields. Default false.</summary>
    public bool IncludeBody { get; set; }

    /// <summary>Add <c>DKIM-Canonicalized-Header</c> for a failed signature. Default false.</summary>
    public bool IncludeDkimCanonicalizedHeader { get; set; }

    /// <summary>Add <c>DKIM-Canonicalized-Body</c> for a failed signature. Default false.</summary>
    public bool IncludeDkimCanonicalizedBody { get; set; }

    /// <summary>Redact the local-parts of recipient addresses (RFC 6590). Default true.</summary>
    public bool RedactRecipientLocalParts { get; set; } = true;

    /// <summary>Redact the local-parts of sender addresses as well. Default false.</summary>
    public bool RedactSenderLocalParts { get; set; }

    /// <summary>Secret key of the redaction tokens (a Key Vault reference in Azure). Default: derived from the reporter domain.</summary>
    public string? RedactionKey { get; set; }

    /// <summary>Largest report message in bytes (default 1 MiB; 4 KiB–10 MiB). A <c>ruf</c> <c>!size</c> may lower it.</summary>
    public long MaxReportBytes { get; set; } = FailureReportContentOptions.DefaultMaxReportBytes;

    /// <summary>At most this many reports per destination mailbox per UTC hour (default 10).</summary>
    public int MaxPerDestinationPerHour { get; set; } = 10;

    /// <summary>At most this many reports per destination mailbox per UTC day (default 100).</summary>
    public int MaxPerDestinationPerDay { get; set; } = 100;

    /// <summary>At most this many reports about one policy domain per UTC hour, all destinations together (default 20).</summary>
    public int MaxPerPolicyDomainPerHour { get; set; } = 20;

    /// <summary>At most this many reports about one policy domain per UTC day (default 200).</summary>
    public int MaxPerPolicyDomainPerDay { get; set; } = 200;

    /// <summary>Identical failures within one window (aligned to UTC) are reported once, then as one <c>Incidents</c> summary after the window (default 1 hour; 1 minute–1 day).</summary>
    public TimeSpan AggregationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The content options of the report builder, with the sender from <paramref name="reporter"/>.</summary>
    public FailureReportContentOptions ToContentOptions(ReporterOptions reporter)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return new FailureReportContentOptions
        {
            FromAddress = reporter.FromAddress,
            ReporterDomain = reporter.EffectiveReporterDomain,
            IncludeBody = IncludeBody,
            IncludeDkimCanonicalizedHeader = IncludeDkimCanonicalizedHeader,
            IncludeDkimCanonicalizedBody = IncludeDkimCanonicalizedBody,
            RedactRecipientLocalParts = RedactRecipientLocalParts,
            RedactSenderLocalParts = RedactSenderLocalParts,
            RedactionKey = RedactionKey,
            MaxReportBytes = MaxReportBytes,
        };
    }
}
