using System.Globalization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>A DMARC policy record as published at <c>_dmarc.&lt;domain&gt;</c>, tag by tag.</summary>
/// <remarks>
/// RFC 9989 §4.7 (tags <c>v p sp np adkim aspf psd t fo rua ruf</c>) and RFC 7489 §6.3 (the historic
/// <c>pct rf ri</c>, still parsed for RFC 7489 mode). Tag names and keyword values are case-insensitive
/// (ABNF literals); the version value <c>DMARC1</c> is case-sensitive; other values keep their case.
/// Whitespace around tags, <c>=</c> and <c>;</c> is allowed; unknown tags are ignored. Parsing is
/// <see cref="Parse(string)"/>, which never throws.
/// </remarks>
public sealed record DmarcRecord
{
    /// <summary>The record text as published (character-strings joined).</summary>
    public required string Text { get; init; }

    /// <summary>The <c>p=</c> policy as published; null when missing or invalid.</summary>
    public DmarcPolicy? P { get; init; }

    /// <summary>The <c>sp=</c> policy as published; null when missing or invalid.</summary>
    public DmarcPolicy? Sp { get; init; }

    /// <summary>The <c>np=</c> policy as published; null when missing or invalid.</summary>
    public DmarcPolicy? Np { get; init; }

    /// <summary>
    /// True when a <c>p</c>, <c>sp</c> or <c>np</c> value was invalid (or <c>p</c> missing) and the record is
    /// therefore applied as <c>p=none</c> because it has a valid <c>rua</c> (RFC 9989 §4.8).
    /// </summary>
    public bool PolicyDefaultedToNone { get; init; }

    /// <summary><c>adkim=</c> (default relaxed).</summary>
    public AlignmentMode Adkim { get; init; }

    /// <summary><c>aspf=</c> (default relaxed).</summary>
    public AlignmentMode Aspf { get; init; }

    /// <summary><c>psd=</c>: <see cref="PsdFlag.Unspecified"/> by default, also for an invalid value.</summary>
    public PsdFlag Psd { get; init; }

    /// <summary><c>t=y</c>: the domain owner is testing the policy (RFC 9989 §4.7).</summary>
    public bool Testing { get; init; }

    /// <summary>The historic <c>pct=</c> (0–100), when published and valid; used in RFC 7489 mode only.</summary>
    public int? Pct { get; init; }

    /// <summary>The historic <c>rf=</c> report formats, lower-case, when published and valid.</summary>
    public IReadOnlyList<string> Rf { get; init; } = [];

    /// <summary>The historic <c>ri=</c> report interval in seconds, when published and valid.</summary>
    public uint? Ri { get; init; }

    /// <summary><c>fo=</c> failure reporting options as published (lower-case, e.g. <c>0</c>, <c>1:d</c>); default <c>0</c>.</summary>
    public string Fo { get; init; } = "0";

    /// <summary>Whether <c>fo=</c> was published.</summary>
    public bool FoPublished { get; init; }

    /// <summary>The <c>fo=</c> options as flags (parsed once here; <see cref="FailureReportOptionsSyntax.Default"/> when not published or invalid).</summary>
    public FailureReportOptions FailureOptions { get; init; } = FailureReportOptionsSyntax.Default;

    /// <summary>The aggregate report URIs, invalid ones included (see <see cref="DmarcReportUri.IsValid"/>).</summary>
    public IReadOnlyList<DmarcReportUri> Rua { get; init; } = [];

    /// <summary>The failure report URIs, invalid ones included.</summary>
    public IReadOnlyList<DmarcReportUri> Ruf { get; init; } = [];

    /// <summary>At least one <c>rua</c> URI is valid.</summary>
    public bool HasValidRua => Rua.Any(u => u.IsValid);

    /// <summary>The policy for the domain that published the record: <c>p</c>, or none when defaulted.</summary>
    public DmarcPolicy Policy => PolicyDefaultedToNone ? DmarcPolicy.None : P ?? DmarcPolicy.None;

    /// <summary>The policy for existing subdomains: <c>sp</c>, else <c>p</c>.</summary>
    public DmarcPolicy SubdomainPolicy => PolicyDefaultedToNone ? DmarcPolicy.None : Sp ?? Policy;

    /// <summary>The policy for non-existent subdomains: <c>np</c>, else <c>sp</c>, else <c>p</c> (RFC 9989 §4.7).</summary>
    public DmarcPolicy NonExistentSubdomainPolicy => PolicyDefaultedToNone ? DmarcPolicy.None : Np ?? SubdomainPolicy;

    /// <summary>The snapshot of this record that goes into verdicts and aggregate reports.</summary>
    public PublishedPolicy ToPublishedPolicy(string domain, DiscoveryMethod method) => new(
        domain,
        Text,
        Policy,
        PolicyDefaultedToNone ? null : Sp,
        PolicyDefaultedToNone ? null : Np,
        Adkim,
        Aspf,
        Testing,
        Psd,
        Pct,
        FoPublished ? Fo : null,
        Rua.Select(u => u.ToString()).ToArray(),
        Ruf.Select(u => u.ToString()).ToArray(),
        method);

    /// <summary>
    /// The longest record parsed: 65,535 characters, the most a TXT record's data can hold (RFC 1035 §3.2.1).
    /// Longer text is not a record (checked before any work).
    /// </summary>
    public const int MaxRecordLength = 65_535;

    /// <summary>Parses <paramref name="text"/>. Never throws; every problem is in the result.</summary>
    /// <remarks>
    /// The steps of RFC 9989 §4.7–§4.8: the size check, <c>v=DMARC1</c> first, each remaining tag read once
    /// (<see cref="TagReader"/>), then the rule for an invalid or missing policy.
    /// </remarks>
    public static DmarcRecordParseResult Parse(string? text)
    {
        var warnings = new List<string>();
        var errors = new List<string>();
        if (RefuseBeforeParsing(text) is { } refusal)
        {
            errors.Add(refusal);
            return new DmarcRecordParseResult(false, false, null, warnings, errors);
        }

        var terms = SplitTerms(text!, warnings);
        if (!StartsWithVersion(terms[0]))
        {
            // RFC 9989 §4.7: "v" MUST be the first tag and its value is exactly "DMARC1".
            errors.Add($"not a DMARC record: does not start with v=DMARC1 ('{terms[0].Trim()}')");
            return new DmarcRecordParseResult(false, false, null, warnings, errors);
        }

        var tags = new TagReader(warnings, errors);
        tags.ReadAll(terms);
        return ApplyPolicyRules(tags.ToRecord(text!), tags, warnings, errors);
    }

    /// <summary>Why <paramref name="text"/> is not worth parsing (empty, or longer than a TXT record), or null.</summary>
    private static string? RefuseBeforeParsing(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "empty record"
        : text.Length > MaxRecordLength ? $"the record is {text.Length} characters, longer than a DNS answer can carry ({MaxRecordLength})"
        : null;

    /// <summary>The <c>;</c>-separated terms, after undoing zone-file escaping left in the published text.</summary>
    private static string[] SplitTerms(string text, List<string> warnings)
    {
        if (text.Contains("\\;", StringComparison.Ordinal))
        {
            // Zone-file escaping left in the published text ("v=DMARC1\; p=reject\;"): read "\;" as ";".
            warnings.Add("backslash-escaped ';' read as ';'");
            text = text.Replace("\\;", ";", StringComparison.Ordinal);
        }

        return text.Split(';');
    }

    private static bool StartsWithVersion(string firstTerm) =>
        TrySplitTag(firstTerm, out var name, out var value)
        && name.Equals("v", StringComparison.OrdinalIgnoreCase)
        && value == "DMARC1";

    /// <summary>
    /// RFC 9989 §4.8: an invalid p/sp/np with a valid rua is applied as p=none; without a valid rua the record is
    /// not applied. A record with no p at all is treated the same way, except a PSD record (psd=y), which RFC 9989
    /// §4.7 lets omit p ("v=DMARC1; psd=y" is a valid public suffix record meaning p=none).
    /// </summary>
    private static DmarcRecordParseResult ApplyPolicyRules(DmarcRecord record, TagReader tags, List<string> warnings, List<string> errors)
    {
        var policyInvalid = tags.PolicyInvalid;
        var pMissing = record.P is null && !tags.PInvalid;
        if (policyInvalid || (pMissing && record.Psd != PsdFlag.Yes))
        {
            if (record.HasValidRua)
            {
                (policyInvalid ? errors : warnings).Add(policyInvalid
                    ? "invalid policy value with a valid rua: record applied as p=none"
                    : "no p= with a valid rua: record applied as p=none");
                return new DmarcRecordParseResult(true, true, record with { PolicyDefaultedToNone = true }, warnings, errors);
            }

            errors.Add(policyInvalid
                ? "invalid policy value and no valid rua: DMARC is not applied"
                : "no p= and no valid rua: DMARC is not applied");
            return new DmarcRecordParseResult(true, false, record, warnings, errors);
        }

        if (pMissing)
        {
            warnings.Add("no p= in a psd=y record: p=none");
        }

        return new DmarcRecordParseResult(true, true, record, warnings, errors);
    }

    /// <summary>Reads the tags after <c>v=DMARC1</c>, each once, into their values (RFC 9989 §4.7, RFC 7489 §6.3).</summary>
    private sealed class TagReader(List<string> warnings, List<string> errors)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal) { "v" };
        private DmarcPolicy? _p, _sp, _np;
        private bool _spInvalid, _npInvalid;
        private AlignmentMode _adkim = AlignmentMode.Relaxed;
        private AlignmentMode _aspf = AlignmentMode.Relaxed;
        private PsdFlag _psd = PsdFlag.Unspecified;
        private bool _testing;
        private int? _pct;
        private uint? _ri;
        private IReadOnlyList<string> _rf = [];
        private string _fo = "0";
        private bool _foPublished;
        private FailureReportOptions _failureOptions = FailureReportOptionsSyntax.Default;
        private IReadOnlyList<DmarcReportUri> _rua = [];
        private IReadOnlyList<DmarcReportUri> _ruf = [];

        /// <summary>Whether <c>p=</c> was published with an invalid value.</summary>
        public bool PInvalid { get; private set; }

        /// <summary>Whether any of <c>p sp np</c> was published with an invalid value.</summary>
        public bool PolicyInvalid => PInvalid || _spInvalid || _npInvalid;

        /// <summary>Reads <paramref name="terms"/> after the first (the version).</summary>
        public void ReadAll(string[] terms)
        {
            for (var i = 1; i < terms.Length; i++)
            {
                var term = terms[i].Trim();
                if (term.Length == 0)
                {
                    if (i != terms.Length - 1)
                    {
                        warnings.Add("empty term (';;') ignored");
                    }
                }
                else if (!TrySplitTag(term, out var name, out var value))
                {
                    // RFC 9989 §4.7: syntax errors in the remainder of the record are discarded.
                    warnings.Add($"malformed term ignored: '{term}'");
                }
                else if (!_seen.Add(name = name.ToLowerInvariant()))
                {
                    warnings.Add($"duplicate tag '{name}' ignored");
                }
                else
                {
                    Read(name, value);
                }
            }
        }

        private void Read(string name, string value)
        {
            switch (name)
            {
                case "p":
                    _p = ParsePolicy(value, name, errors, out var pInvalid);
                    PInvalid = pInvalid;
                    break;
                case "sp":
                    _sp = ParsePolicy(value, name, errors, out _spInvalid);
                    break;
                case "np":
                    _np = ParsePolicy(value, name, errors, out _npInvalid);
                    break;
                case "adkim":
                    _adkim = ParseAlignment(value, name, warnings);
                    break;
                case "aspf":
                    _aspf = ParseAlignment(value, name, warnings);
                    break;
                case "psd":
                    _psd = value.Length == 1 && RfcName.TryParse<PsdFlag>(value, out var flag)
                        ? flag
                        : Warn(warnings, $"invalid psd={value} ignored", PsdFlag.Unspecified);
                    break;
                case "t":
                    _testing = value.ToLowerInvariant() switch
                    {
                        "y" => true,
                        "n" => false,
                        _ => Warn(warnings, $"invalid t={value} ignored", false),
                    };
                    break;
                case "pct":
                    ReadPct(value);
                    break;
                case "ri":
                    _ri = IsDigits(value) && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ri)
                        ? ri
                        : Warn<uint?>(warnings, $"invalid ri={value} ignored", null);
                    break;
                case "rf":
                    ReadRf(value);
                    break;
                case "fo":
                    ReadFo(value);
                    break;
                case "rua":
                    _rua = ParseUriList(value, name, warnings);
                    break;
                case "ruf":
                    _ruf = ParseUriList(value, name, warnings);
                    break;
                default:
                    // RFC 9989 §4.7: unknown tags MUST be ignored.
                    warnings.Add($"unknown tag '{name}' ignored");
                    break;
            }
        }

        /// <summary>The historic <c>pct=</c> (RFC 7489 §6.3): 0–100.</summary>
        private void ReadPct(string value)
        {
            if (IsDigits(value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pct) && pct <= 100)
            {
                _pct = pct;
                warnings.Add("pct is historic (RFC 9989 Appendix A.6); used in RFC 7489 mode only");
            }
            else
            {
                warnings.Add($"invalid pct={value} ignored");
            }
        }

        /// <summary>The historic <c>rf=</c> (RFC 7489 §6.3): a colon-separated list of <c>afrf</c> / <c>iodef</c>.</summary>
        private void ReadRf(string value)
        {
            var formats = value.Split(':').Select(f => f.Trim().ToLowerInvariant()).ToArray();
            if (formats.All(f => f is "afrf" or "iodef"))
            {
                _rf = formats;
            }
            else
            {
                warnings.Add($"invalid rf={value} ignored");
            }
        }

        /// <summary><c>fo=</c> (RFC 9989 §4.7, RFC 9991 §2): parsed once into flags, kept as published (lower-case) for reports.</summary>
        private void ReadFo(string value)
        {
            if (FailureReportOptionsSyntax.TryParse(value, out _failureOptions))
            {
                _fo = string.Join(':', value.Split(':').Select(f => f.Trim().ToLowerInvariant()));
                _foPublished = true;
            }
            else
            {
                warnings.Add($"invalid fo={value} ignored (default 0)");
            }
        }

        private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

        /// <summary>The record with the values read (before the policy rules of §4.8).</summary>
        public DmarcRecord ToRecord(string text) => new()
        {
            Text = text,
            P = _p,
            Sp = _sp,
            Np = _np,
            Adkim = _adkim,
            Aspf = _aspf,
            Psd = _psd,
            Testing = _testing,
            Pct = _pct,
            Ri = _ri,
            Rf = _rf,
            Fo = _fo,
            FoPublished = _foPublished,
            FailureOptions = _failureOptions,
            Rua = _rua,
            Ruf = _ruf,
        };
    }

    private static bool TrySplitTag(string term, out string name, out string value)
    {
        var eq = term.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            name = value = string.Empty;
            return false;
        }

        name = term[..eq].Trim();
        value = term[(eq + 1)..].Trim();
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }

    private static DmarcPolicy? ParsePolicy(string value, string tag, List<string> errors, out bool invalid)
    {
        invalid = false;
        switch (value.ToLowerInvariant())
        {
            case "none":
                return DmarcPolicy.None;
            case "quarantine":
                return DmarcPolicy.Quarantine;
            case "reject":
                return DmarcPolicy.Reject;
            default:
                invalid = true;
                errors.Add($"invalid {tag}={value}");
                return null;
        }
    }

    private static AlignmentMode ParseAlignment(string value, string tag, List<string> warnings) =>
        value.ToLowerInvariant() switch
        {
            "r" => AlignmentMode.Relaxed,
            "s" => AlignmentMode.Strict,
            _ => Warn(warnings, $"invalid {tag}={value} ignored (relaxed)", AlignmentMode.Relaxed),
        };

    private static T Warn<T>(List<string> warnings, string message, T value)
    {
        warnings.Add(message);
        return value;
    }

    private static DmarcReportUri[] ParseUriList(string value, string tag, List<string> warnings)
    {
        var list = new List<DmarcReportUri>();
        foreach (var raw in value.Split(','))
        {
            var item = raw.Trim();
            if (item.Length == 0)
            {
                continue;
            }

            var uri = ParseUri(item);
            if (uri.SizeSuffix is { } size)
            {
                warnings.Add(uri.MaxSizeBytes is null
                    ? $"{tag}: invalid size suffix '!{size}' ignored"
                    : $"{tag}: size suffix '!{size}' is obsolete (RFC 9989) and ignored");
            }

            if (!uri.IsValid)
            {
                warnings.Add($"{tag}: unusable URI '{uri.Uri}'");
            }

            list.Add(uri);
        }

        return [.. list];
    }

    /// <summary>Parses one <c>rua</c>/<c>ruf</c> entry (trimmed, as published, with an optional <c>!size</c> suffix).</summary>
    internal static DmarcReportUri ParseUri(string item)
    {
        string? size = null;
        long? maxBytes = null;
        var bang = item.LastIndexOf('!');
        if (bang > 0)
        {
            size = item[(bang + 1)..];
            item = item[..bang];
            maxBytes = ParseSize(size);
        }

        var colon = item.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? item[..colon].ToLowerInvariant() : string.Empty;
        var valid = scheme switch
        {
            "mailto" => IsMailtoValid(item[(colon + 1)..]),
            "http" or "https" => System.Uri.TryCreate(item, UriKind.Absolute, out var u) && u.Host.Length > 0,
            _ => false,
        };
        return new DmarcReportUri(item, scheme, valid, maxBytes, size);
    }

    private static bool IsMailtoValid(string rest)
    {
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var address = query < 0 ? rest : rest[..query];
        var at = address.LastIndexOf('@');
        return !address.StartsWith("//", StringComparison.Ordinal)
            && at > 0 && at < address.Length - 1
            && !address.Any(char.IsWhiteSpace);
    }

    private static long? ParseSize(string size)
    {
        if (size.Length == 0)
        {
            return null;
        }

        var unit = char.ToLowerInvariant(size[^1]);
        var digits = char.IsAsciiDigit(unit) ? size : size[..^1];
        long multiplier = unit switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            _ when char.IsAsciiDigit(unit) => 1,
            _ => 0,
        };
        if (multiplier == 0 || digits.Length == 0 || digits.Length > 12 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        return long.Parse(digits, CultureInfo.InvariantCulture) * multiplier;
    }
}
