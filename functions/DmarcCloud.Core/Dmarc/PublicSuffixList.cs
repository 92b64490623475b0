using System.Globalization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>
/// The Public Suffix List: the rules that find a name's registrable domain, which RFC 7489 uses as the
/// organizational domain. An embedded snapshot is the default; a newer file can be loaded.
/// </summary>
/// <remarks>
/// RFC 7489 §3.2 (organizational domain) and the PSL algorithm at https://publicsuffix.org/list/: the longest
/// matching rule wins, exception rules (<c>!</c>) beat wildcards (<c>*.</c>), an unlisted TLD is a public suffix
/// (the implicit <c>*</c> rule). ICANN and private sections are both used. Names are A-labels, any case.
/// </remarks>
public sealed class PublicSuffixList
{
    /// <summary>The date of the embedded snapshot (publicsuffix/list commit e8c9a2b2, see Dmarc/Psl/NOTICE).</summary>
    public static readonly DateOnly EmbeddedSnapshotDate = new(2026, 8, 19);

    private const string EmbeddedResourceName = "DmarcCloud.Core.Dmarc.Psl.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> EmbeddedList = new(LoadEmbedded);

    private readonly HashSet<string> _rules;
    private readonly HashSet<string> _wildcards;
    private readonly HashSet<string> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions, string source, DateOnly date)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
        Source = source;
        Date = date;
    }

    /// <summary>The list embedded in DmarcCloud.Core (loaded once).</summary>
    public static PublicSuffixList Embedded => EmbeddedList.Value;

    /// <summary>Where the list came from: "embedded" or a file path.</summary>
    public string Source { get; }

    /// <summary>The list's date: the snapshot date, or the file's last write date (UTC) for a loaded file.</summary>
    public DateOnly Date { get; }

    /// <summary>Number of rules (normal, wildcard and exception).</summary>
    public int RuleCount => _rules.Count + _wildcards.Count + _exceptions.Count;

    /// <summary>The list's age on <paramref name="today"/>, in whole days (stale lists cause org-domain mistakes).</summary>
    public int AgeInDays(DateOnly today) => today.DayNumber - Date.DayNumber;

    /// <summary>Parses the list text (the format of public_suffix_list.dat).</summary>
    public static PublicSuffixList Parse(string text, string source = "text", DateOnly? date = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var idn = new IdnMapping();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            // Each line is only read up to the first whitespace.
            var space = line.IndexOfAny([' ', '\t']);
            if (space > 0)
            {
                line = line[..space];
            }

            var target = rules;
            if (line.StartsWith('!'))
            {
                target = exceptions;
                line = line[1..];
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                target = wildcards;
                line = line[2..];
            }

            target.Add(ToAscii(idn, line));
        }

        return new PublicSuffixList(rules, wildcards, exceptions, source, date ?? DateOnly.FromDateTime(DateTime.UtcNow));
    }

    /// <summary>Loads a (newer) list from a file; its date is the file's last write time.</summary>
    public static async Task<PublicSuffixList> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path, DateOnly.FromDateTime(File.GetLastWriteTimeUtc(path)));
    }

    /// <summary>
    /// The public suffix of <paramref name="domain"/> (e.g. <c>co.uk</c> for <c>www.bbc.co.uk</c>), or null for an
    /// empty name or one that starts with a dot.
    /// </summary>
    public string? GetPublicSuffix(string domain)
    {
        var labels = SplitLabels(domain);
        if (labels is null)
        {
            return null;
        }

        return string.Join('.', labels[^SuffixLabelCount(labels)..]);
    }

    /// <summary>
    /// The registrable domain (public suffix plus one label), or null when <paramref name="domain"/> is itself a
    /// public suffix or not a valid name.
    /// </summary>
    public string? GetRegistrableDomain(string domain)
    {
        if (!string.IsNullOrEmpty(domain) && !domain.All(char.IsAscii))
        {
            // U-labels in, U-labels out: compute on the A-label form.
            var idn = new IdnMapping();
            string ascii;
            try
            {
                ascii = idn.GetAscii(domain.TrimEnd('.'));
            }
            catch (ArgumentException)
            {
                return null;
            }

            var registrable = GetRegistrableDomain(ascii);
            return registrable is null ? null : idn.GetUnicode(registrable);
        }

        var labels = SplitLabels(domain);
        if (labels is null)
        {
            return null;
        }

        var suffix = SuffixLabelCount(labels);
        return labels.Length <= suffix ? null : string.Join('.', labels[^(suffix + 1)..]);
    }

    /// <summary>
    /// The RFC 7489 organizational domain: the registrable domain, or the name itself when it is a public suffix
    /// (so that a public suffix aligns only with itself).
    /// </summary>
    public string GetOrganizationalDomain(string domain) =>
        GetRegistrableDomain(domain) ?? Dns.DnsName.Normalize(domain);

    private int SuffixLabelCount(string[] labels)
    {
        // Walk from the longest candidate to the shortest; the first (longest) match wins, exceptions first.
        for (var i = 0; i < labels.Length; i++)
        {
            var candidate = string.Join('.', labels[i..]);
            if (_exceptions.Contains(candidate))
            {
                return labels.Length - i - 1;
            }

            if (_rules.Contains(candidate))
            {
                return labels.Length - i;
            }

            if (i + 1 < labels.Length && _wildcards.Contains(string.Join('.', labels[(i + 1)..])))
            {
                return labels.Length - i;
            }
        }

        // The implicit "*" rule: an unlisted TLD is a public suffix.
        return 1;
    }

    private static string[]? SplitLabels(string domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.StartsWith('.'))
        {
            return null;
        }

        var name = Dns.DnsName.Normalize(domain);
        var labels = name.Split('.');
        return labels.Any(l => l.Length == 0) ? null : labels;
    }

    private static string ToAscii(IdnMapping idn, string name)
    {
        if (name.All(char.IsAscii))
        {
            return name.ToLowerInvariant();
        }

        return idn.GetAscii(name).ToLowerInvariant();
    }

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {EmbeddedResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded", EmbeddedSnapshotDate);
    }
}
