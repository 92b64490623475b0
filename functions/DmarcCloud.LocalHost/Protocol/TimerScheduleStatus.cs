namespace DmarcCloud.LocalHost.Protocol;

/// <summary>A timer's ScheduleStatus as the host keeps it: last run, next planned run, last update.</summary>
/// <param name="Last">The last scheduled occurrence that ran.</param>
/// <param name="Next">The next scheduled occurrence.</param>
/// <param name="LastUpdated">When this status was written.</param>
public sealed record TimerScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
