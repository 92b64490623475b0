using Cronos;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DmarcCloud.Azure.Reporting;

/// <summary>Checks <see cref="ReporterOptions"/> at start-up, so a misconfigured reporter fails loudly at deploy time, not at midnight.</summary>
public sealed class ReporterOptionsValidator : IValidateOptions<ReporterOptions>
{
    /// <summary>The smallest size cap accepted (a report part must hold at least a few records).</summary>
    public const int MinimumReportBytes = 1024;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, options.OrgName, "Reporting:OrgName");
        RequireAddress(failures, options.Email, "Reporting:Email");
        RequireAddress(failures, options.FromAddress, "Reporting:FromAddress");
        if (string.IsNullOrEmpty(options.EffectiveReporterDomain))
        {
            failures.Add("Reporting:ReporterDomain is needed when FromAddress has no domain.");
        }

        if (options.MaxReportBytes < MinimumReportBytes)
        {
            failures.Add($"Reporting:MaxReportBytes must be at least {MinimumReportBytes}.");
        }

        if (options.MaxCatchUpDays is < 1 or > 60)
        {
            failures.Add("Reporting:MaxCatchUpDays must be between 1 and 60.");
        }

        if (!CronExpression.TryParse(options.Schedule, CronFormat.IncludeSeconds, out _))
        {
            failures.Add($"AggregateReportSchedule '{options.Schedule}' is not a six-field NCRONTAB expression (sec min hour day month weekday).");
        }

        Require(failures, options.SmtpHost, "Reporting:SmtpHost");
        if (options.SmtpPort is < 1 or > 65535)
        {
            failures.Add("Reporting:SmtpPort must be 1-65535.");
        }

        if (!string.IsNullOrEmpty(options.SmtpUserName) && string.IsNullOrEmpty(options.SmtpPassword))
        {
            failures.Add("Reporting:SmtpPassword is required with SmtpUserName (a Key Vault reference in Azure).");
        }

        if (options.MinimumSendInterval < TimeSpan.Zero || options.MinimumSendInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add("Reporting:MinimumSendInterval must be between 0 and 5 minutes.");
        }

        if (!string.IsNullOrWhiteSpace(options.DkimPrivateKey))
        {
            Require(failures, options.DkimSelector, "Reporting:DkimSelector (with DkimPrivateKey)");
            try
            {
                _ = ReportMessageFactory.CreateSigner(options);
            }
            catch (Exception ex) when (ex is FormatException or NotSupportedException or IOException or ArgumentException or InvalidCastException)
            {
                failures.Add("Reporting:DkimPrivateKey is not a usable PEM RSA private key: " + ex.Message);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string? value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add(setting + " is required.");
        }
    }

    private static void RequireAddress(List<string> failures, string value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value) || !MailboxAddress.TryParse(value, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            failures.Add(setting + " must be a mail address.");
        }
    }
}
