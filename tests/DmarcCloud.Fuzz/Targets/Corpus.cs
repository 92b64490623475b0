using System.Text;
using System.Text.RegularExpressions;

namespace DmarcCloud.Fuzz.Targets;

/// <summary>Seeds pulled out of the repository's test data and samples (copied to Seeds/ at build).</summary>
internal static partial class Corpus
{
    private static readonly Lazy<IReadOnlyList<(string Path, byte[] Bytes)>> Files = new(() =>
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Seeds");
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(p => (p, File.ReadAllBytes(p)))]
            : [];
    });

    private static IEnumerable<string> Texts => Files.Value.Where(f => f.Bytes.Length < 4 * 1024 * 1024).Select(f => Encoding.UTF8.GetString(f.Bytes));

    /// <summary>Whole files whose name ends with one of <paramref name="extensions"/>.</summary>
    public static IEnumerable<byte[]> FilesEndingWith(params string[] extensions) =>
        Files.Value.Where(f => extensions.Any(e => f.Path.EndsWith(e, StringComparison.OrdinalIgnoreCase))).Select(f => f.Bytes);

    /// <summary>Messages: .eml, .msg, .message files.</summary>
    public static IEnumerable<byte[]> Messages => FilesEndingWith(".eml", ".msg", ".message").Where(m => m.Length < 1024 * 1024);

    /// <summary>Every match of <paramref name="pattern"/> in the text files, distinct, at most <paramref name="max"/>.</summary>
    public static IEnumerable<byte[]> Matches(Regex pattern, int max = 400) =>
        Texts.SelectMany(t => pattern.Matches(t).Select(m => (m.Groups.Count > 1 ? m.Groups[1].Value : m.Value).Trim()))
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .Select(Encoding.UTF8.GetBytes);

    /// <summary>Values of a header field (unfolded) in the messages.</summary>
    public static IEnumerable<byte[]> HeaderValues(string name, int max = 400) =>
        Messages.SelectMany(m => HeaderField(name).Matches(Encoding.Latin1.GetString(m)).Select(x => x.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .Select(Encoding.Latin1.GetBytes);

    private static Regex HeaderField(string name) =>
        new($"^{Regex.Escape(name)}:((?:[^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*))", RegexOptions.Multiline | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(5));

    [GeneratedRegex(@"(v=spf1[^""\r\n']*)")]
    public static partial Regex SpfRecord();

    [GeneratedRegex(@"(v=DMARC1[^""\r\n']*)", RegexOptions.IgnoreCase)]
    public static partial Regex DmarcRecord();

    [GeneratedRegex(@"((?:v=DKIM1;)?[^""\r\n']*\bp=[A-Za-z0-9+/=]{20,}[^""\r\n']*)")]
    public static partial Regex DkimKey();
}
