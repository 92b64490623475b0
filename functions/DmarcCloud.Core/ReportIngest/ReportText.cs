namespace DmarcCloud.Core.ReportIngest;

/// <summary>How report text is quoted in reasons and warnings.</summary>
internal static class ReportText
{
    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, with an ellipsis when cut.</summary>
    public static string Truncate(string text, int max = 60) => text.Length <= max ? text : text[..max] + "…";
}
