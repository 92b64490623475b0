using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.LocalHost.Tests.FixtureApp;

/// <summary>Timer at <c>%FixtureSchedule%</c>: appends IsPastDue to the output file; <c>CrashOnTick=1</c> kills the worker.</summary>
public static class Tick
{
    [Function(nameof(Tick))]
    public static async Task RunAsync([TimerTrigger("%FixtureSchedule%")] TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await File.AppendAllTextAsync(Collect.Output("tick"), $"pastDue={timer.IsPastDue} last={timer.ScheduleStatus?.Last:o}\n").ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable("CrashOnTick") == "1")
        {
            Environment.FailFast("CrashOnTick: the fixture worker dies on purpose");
        }
    }
}
