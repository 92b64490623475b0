namespace DmarcCloud.Core.Dmarc;

/// <summary>The text form of <see cref="FailureReportOptions"/>: <c>0</c>, <c>1</c>, <c>d</c>, <c>s</c>, colon-separated.</summary>
/// <remarks>RFC 9989 §4.7: <c>dmarc-fo = "fo" *WSP "=" *WSP ( "0" / "1" / "d" / "s" ) *(*WSP ":" *WSP ( "0" / "1" / "d" / "s" ))</c>; case-insensitive.</remarks>
public static class FailureReportOptionsSyntax
{
    /// <summary>What a record without <c>fo=</c> means.</summary>
    public const FailureReportOptions Default = FailureReportOptions.AllFail;

    /// <summary>Parses a <c>fo</c> value. False (and <see cref="Default"/>) when any element is not one of <c>0 1 d s</c>.</summary>
    public static bool TryParse(string? value, out FailureReportOptions options)
    {
        options = Default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parsed = FailureReportOptions.None;
        foreach (var raw in value.Split(':'))
        {
            var option = raw.Trim();
            if (option.Length != 1)
            {
                return false;
            }

            switch (char.ToLowerInvariant(option[0]))
            {
                case '0': parsed |= FailureReportOptions.AllFail; break;
                case '1': parsed |= FailureReportOptions.AnyFail; break;
                case 'd': parsed |= FailureReportOptions.DkimFail; break;
                case 's': parsed |= FailureReportOptions.SpfFail; break;
                default: return false;
            }
        }

        options = parsed;
        return true;
    }

    /// <summary>The options as an <c>fo</c> value in the order <c>0:1:d:s</c> (e.g. <c>1:d</c>).</summary>
    public static string Format(FailureReportOptions options)
    {
        var tokens = Tokens(options);
        return tokens.Count == 0 ? "0" : string.Join(':', tokens);
    }

    /// <summary>The options as their RFC tokens, in the order <c>0 1 d s</c>.</summary>
    public static IReadOnlyList<string> Tokens(FailureReportOptions options)
    {
        var tokens = new List<string>(4);
        if (options.HasFlag(FailureReportOptions.AllFail))
        {
            tokens.Add("0");
        }

        if (options.HasFlag(FailureReportOptions.AnyFail))
        {
            tokens.Add("1");
        }

        if (options.HasFlag(FailureReportOptions.DkimFail))
        {
            tokens.Add("d");
        }

        if (options.HasFlag(FailureReportOptions.SpfFail))
        {
            tokens.Add("s");
        }

        return tokens;
    }
}
