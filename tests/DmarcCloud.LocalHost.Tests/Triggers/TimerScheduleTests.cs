using System.Globalization;
using DmarcCloud.LocalHost.Triggers;

namespace DmarcCloud.LocalHost.Tests.Triggers;

public class TimerScheduleTests
{
    [Theory]
    [InlineData("0 0 0 * * *", "2026-11-22T15:04:05Z", "2026-11-23T00:00:00Z")]
    [InlineData("0 0 0 * * *", "2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z")]
    [InlineData("*/10 * * * * *", "2026-11-22T15:04:05Z", "2026-11-22T15:04:10Z")]
    [InlineData("0 */5 * * * *", "2026-11-22T15:04:05Z", "2026-11-22T15:05:00Z")]
    [InlineData("0 30 9 * * 1-5", "2026-11-21T10:00:00Z", "2026-11-23T09:30:00Z")]
    [InlineData("30 9 * * *", "2026-11-22T10:00:00Z", "2026-11-23T09:30:00Z")]
    [InlineData("00:05:00", "2026-11-22T15:04:05Z", "2026-11-22T15:09:05Z")]
    public void Next_occurrence_in_utc(string schedule, string after, string expected) =>
        Assert.Equal(
            DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture),
            TimerSchedule.Parse(schedule).Next(DateTimeOffset.Parse(after, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("")]
    [InlineData("every day")]
    [InlineData("61 0 0 * * *")]
    [InlineData("* * * *")]
    public void Invalid_schedules_are_format_errors(string schedule) =>
        Assert.Throws<FormatException>(() => TimerSchedule.Parse(schedule));
}
