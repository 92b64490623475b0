using System.Globalization;

namespace DmarcCloud.Cli;

/// <summary>A clock stopped at one instant, for <c>--now &lt;unix&gt;</c> (verifying old messages at their time).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Reads <c>--now</c> (seconds since the Unix epoch); the system clock when absent.</summary>
    public static TimeProvider FromArguments(CliArguments arguments)
    {
        var text = arguments.Option("now");
        if (text is null)
        {
            return System;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > 253402300799)
        {
            throw new CliUsageException($"--now '{text}' is not a Unix time in seconds");
        }

        return new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(seconds));
    }
}
