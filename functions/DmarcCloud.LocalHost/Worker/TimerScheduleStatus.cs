namespace DmarcCloud.LocalHost.Worker;

/// <summary>A timer's ScheduleStatus: the last run, the next scheduled run and when the status was written.</summary>
public sealed record TimerScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
