using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Everything the aggregate reporter needs from configuration: who reports, in which format, how large, and
/// how mail leaves. Bound from the <c>Reporting</c> section (app settings <c>Reporting__OrgName</c>, …) and the
/// top-level <c>AggregateReportSchedule</c>; validated at start-up by <see cref="ReporterOptionsValidator"/>.
/// Documented in docs/reporting.md.
/// </summary>
public sealed class ReporterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Reporting";

    /// <summary>report_metadata/org_name.</summary>
    public string OrgName { get; set; } = string.Empty;

    /// <summary>report_metadata/email: where report recipients can write to.</summary>
    public string Email { get; set; } = string.Empty;

    /// <summary>report_metadata/extra_contact_info (optional).</summary>
    public string? ExtraContactInfo { get; set; }

    /// <summary>The reporter's domain: receiver in filenames, Submitter in the Subject, right side of Report-IDs. Default: the domain of <see cref="FromAddress"/>.</summary>
    public string? ReporterDomain { get; set; }

    /// <summary>Report XML format: <c>Rfc9990</c> (default) or <c>Rfc7489</c>.</summary>
    public AggregateReportFormat Format { get; set; } = AggregateReportFormat.Rfc9990;

    /// <summary>The largest compressed report part; larger reports are split. Default 10 MB.</summary>
    public int MaxReportBytes { get; set; } = AggregateReportPackager.DefaultMaxCompressedBytes;

    /// <summary>Report private and reserved source IPs as 0.0.0.0 / ::.</summary>
    public bool MaskReservedSourceIps { get; set; }

    /// <summary>The timer schedule (NCRONTAB with seconds, UTC); from the app setting <c>AggregateReportSchedule</c>.</summary>
    public string Schedule { get; set; } = "0 0 0 * * *";

    /// <summary>How many finished days back the scheduler reaches when no watermark exists or it is older (default 7).</summary>
    public int MaxCatchUpDays { get; set; } = 7;

    /// <summary>SMTP relay host.</summary>
    public string SmtpHost { get; set; } = string.Empty;

    /// <summary>SMTP relay port (default 587).</summary>
    public int SmtpPort { get; set; } = 587;

    /// <summary>Transport security (default STARTTLS required).</summary>
    public SmtpSecurityMode SmtpSecurity { get; set; } = SmtpSecurityMode.StartTls;

    /// <summary>SMTP user name, if the relay wants authentication.</summary>
    public string? SmtpUserName { get; set; }

    /// <summary>SMTP password; in Azure a Key Vault reference (<c>@Microsoft.KeyVault(SecretUri=…)</c>), never a literal.</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>The From address of report mail (should pass DMARC itself).</summary>
    public string FromAddress { get; set; } = string.Empty;

    /// <summary>PEM private key (RSA or Ed25519) to DKIM-sign report mail; optional. In Azure a Key Vault reference.</summary>
    public string? DkimPrivateKey { get; set; }

    /// <summary>DKIM selector (needed with a key).</summary>
    public string? DkimSelector { get; set; }

    /// <summary>DKIM signing domain (<c>d=</c>); default the From address's domain.</summary>
    public string? DkimDomain { get; set; }

    /// <summary>Minimum time between two sends to the same destination domain (pacing, default 2 s).</summary>
    public TimeSpan MinimumSendInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The reporter's domain as used in reports.</summary>
    public string EffectiveReporterDomain =>
        !string.IsNullOrWhiteSpace(ReporterDomain) ? ReporterDomain.Trim().ToLowerInvariant() : DomainOf(FromAddress);

    /// <summary>The report metadata that comes from these options.</summary>
    public ReportingOrganization ToOrganization() => new(OrgName, Email, EffectiveReporterDomain, ExtraContactInfo);

    internal static string DomainOf(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? string.Empty : address[(at + 1)..].Trim().TrimEnd('>').ToLowerInvariant();
    }
}
