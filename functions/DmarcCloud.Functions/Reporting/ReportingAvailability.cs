namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// Whether the <c>Reporting</c> settings exist. With them, they are validated at start-up (a bad value stops the
/// handler); without them (a local run that does not report), the reporting functions answer 503 and the
/// other functions work.
/// </summary>
internal sealed record ReportingAvailability(bool Configured)
{
    public const string NotConfigured = "aggregate reporting is not configured: set the Reporting__* settings (docs/reporting.md)";
}
