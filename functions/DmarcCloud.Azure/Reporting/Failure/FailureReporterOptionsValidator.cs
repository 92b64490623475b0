using Microsoft.Extensions.Options;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>Checks <see cref="FailureReporterOptions"/> at start-up.</summary>
public sealed class FailureReporterOptionsValidator : IValidateOptions<FailureReporterOptions>
{
    /// <summary>The smallest report size cap accepted (the feedback fields and a few header fields must fit).</summary>
    public const long MinimumReportBytes = 4096;

    /// <summary>The largest report size cap accepted (10 MiB, what relays commonly accept).</summary>
    public const long MaximumReportBytes = 10L << 20;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FailureReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxReportBytes is < MinimumReportBytes or > MaximumReportBytes)
        {
            failures.Add($"FailureReporting:MaxReportBytes must be between {MinimumReportBytes} and {MaximumReportBytes}.");
        }

        Positive(failures, options.MaxPerDestinationPerHour, "MaxPerDestinationPerHour");
        Positive(failures, options.MaxPerDestinationPerDay, "MaxPerDestinationPerDay");
        Positive(failures, options.MaxPerPolicyDomainPerHour, "MaxPerPolicyDomainPerHour");
        Positive(failures, options.MaxPerPolicyDomainPerDay, "MaxPerPolicyDomainPerDay");
        if (options.MaxPerDestinationPerDay < options.MaxPerDestinationPerHour || options.MaxPerPolicyDomainPerDay < options.MaxPerPolicyDomainPerHour)
        {
            failures.Add("FailureReporting: a daily cap must not be below its hourly limit.");
        }

        if (options.AggregationWindow < TimeSpan.FromMinutes(1) || options.AggregationWindow > TimeSpan.FromDays(1)
            || TimeSpan.FromDays(1).Ticks % options.AggregationWindow.Ticks != 0)
        {
            failures.Add("FailureReporting:AggregationWindow must be between 00:01:00 and 1.00:00:00 and divide a day evenly.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, int value, string setting)
    {
        if (value is < 1 or > 100_000)
        {
            failures.Add($"FailureReporting:{setting} must be between 1 and 100000.");
        }
    }
}
