using System.Globalization;
using Cronos;

namespace DmarcCloud.LocalHost.Triggers;

/// <summary>
/// A timerTrigger schedule as the host reads it: an NCRONTAB expression with seconds (6 fields, as the host
/// requires; 5 fields are accepted too) evaluated in UTC, or a constant interval <c>hh:mm:ss</c>.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan? _interval;

    private TimerSchedule(string text, CronExpression? cron, TimeSpan? interval)
    {
        Text = text;
        _cron = cron;
        _interval = interval;
    }

    /// <summary>The schedule text (after %Setting% resolution).</summary>
    public string Text { get; }

    /// <summary>Parses a schedule.</summary>
    /// <exception cref="FormatException">Neither NCRONTAB nor a positive interval.</exception>
    public static TimerSchedule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 5 or 6)
        {
            try
            {
                return new TimerSchedule(trimmed, CronExpression.Parse(trimmed, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard), null);
            }
            catch (CronFormatException e)
            {
                throw new FormatException($"Timer schedule '{text}' is not a valid NCRONTAB expression: {e.Message}", e);
            }
        }

        if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var interval) && interval > TimeSpan.Zero)
        {
            return new TimerSchedule(trimmed, null, interval);
        }

        throw new FormatException($"Timer schedule '{text}' is neither NCRONTAB ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}) nor an interval hh:mm:ss.");
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        if (_interval is { } interval)
        {
            return after + interval;
        }

        return _cron!.GetNextOccurrence(after.ToUniversalTime(), TimeZoneInfo.Utc)
            ?? throw new InvalidOperationException($"Timer schedule '{Text}' has no next occurrence.");
    }
}
