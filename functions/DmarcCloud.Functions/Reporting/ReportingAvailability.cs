namespace DmarcCloud.Functions.Reporting;

/// <summary>
/// Whether the <c>Reporting</c> settings exist. With them, they are validated at start-up (a bad value stops the
/// app); without them (a local run that does not report), the reporting functions do nothing and the other
/// functions work.
/// </summary>
public sealed record ReportingAvailability(bool Configured);
