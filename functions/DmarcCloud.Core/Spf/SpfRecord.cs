using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace DmarcCloud.Core.Spf;

/// <summary>A parsed SPF record: its directives in order and its modifiers.</summary>
/// <param name="Text">The record as published.</param>
/// <param name="Mechanisms">The directives, in evaluation order.</param>
/// <param name="Redirect">The <c>redirect=</c> domain-spec, or null.</param>
/// <param name="Explanation">The <c>exp=</c> domain-spec, or null.</param>
/// <param name="Modifiers">Every modifier, known or not, in order.</param>
/// <remarks>
/// RFC 7208 §4.5 (record selection), §4.6 (syntax), §5 (mechanisms), §6 (modifiers). Parsing is pure; any
/// syntax error makes <see cref="Parse"/> return a malformed result, which the evaluator turns into permerror.
/// </remarks>
public sealed partial record SpfRecord(
    string Text,
    IReadOnlyList<SpfMechanism> Mechanisms,
    string? Redirect,
    string? Explanation,
    IReadOnlyList<SpfModifier> Modifiers)
{
    /// <summary>Whether a TXT record is an SPF record: it starts with <c>v=spf1</c> followed by a space or its end (§4.5).</summary>
    public static bool IsSpfRecord(string text) =>
        text.StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase) && (text.Length == 6 || text[6] == ' ');

    /// <summary>
    /// The longest record parsed: 65,535 characters, the most a TXT record's data can hold (RFC 1035 §3.2.1, RDLENGTH
    /// is 16 bits). Longer text can only come from a test zone or a bug; it is malformed (permerror) before any work.
    /// </summary>
    public const int MaxRecordLength = 65_535;

    /// <summary>Parses an SPF record. Never throws for bad input.</summary>
    public static SpfRecordParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsSpfRecord(text))
        {
            return SpfRecordParseResult.Malformed("the record does not start with 'v=spf1'");
        }

        if (text.Length > MaxRecordLength)
        {
            return SpfRecordParseResult.Malformed($"the record is {text.Length} characters, longer than a DNS answer can carry ({MaxRecordLength})");
        }

        var mechanisms = new List<SpfMechanism>();
        var modifiers = new List<SpfModifier>();
        string? redirect = null, explanation = null;
        foreach (var term in text[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Only a term with '=' can be a modifier: mechanisms skip the regex match.
            var modifier = term.Contains('=', StringComparison.Ordinal) ? ModifierName().Match(term) : Match.Empty;
            if (modifier.Success)
            {
                var name = modifier.Groups[1].Value.ToLowerInvariant();
                var value = term[(modifier.Length)..];
                var error = name is "redirect" or "exp" ? ValidateDomainSpec(value) : SpfMacro.Validate(value, false, out _);
                if (error is not null)
                {
                    return SpfRecordParseResult.Malformed($"modifier '{term}': {error}");
                }

                if (name == "redirect")
                {
                    if (redirect is not null)
                    {
                        return SpfRecordParseResult.Malformed("more than one redirect= modifier (§6)");
                    }

                    redirect = value;
                }
                else if (name == "exp")
                {
                    if (explanation is not null)
                    {
                        return SpfRecordParseResult.Malformed("more than one exp= modifier (§6)");
                    }

                    explanation = value;
                }

                modifiers.Add(new SpfModifier(name, value));
                continue;
            }

            var (mechanism, mechanismError) = ParseDirective(term);
            if (mechanism is null)
            {
                return SpfRecordParseResult.Malformed($"term '{term}': {mechanismError}");
            }

            mechanisms.Add(mechanism);
        }

        return SpfRecordParseResult.Parsed(new SpfRecord(text, mechanisms, redirect, explanation, modifiers));
    }

    private static (SpfMechanism? Mechanism, string? Error) ParseDirective(string term)
    {
        var qualifier = term[0] switch
        {
            '+' => SpfQualifier.Pass,
            '-' => SpfQualifier.Fail,
            '~' => SpfQualifier.SoftFail,
            '?' => SpfQualifier.Neutral,
            _ => (SpfQualifier?)null,
        };
        var body = qualifier is null ? term : term[1..];
        var nameEnd = body.AsSpan().IndexOfAny(':', '/');
        var name = (nameEnd < 0 ? body : body[..nameEnd]).ToLowerInvariant();
        var rest = nameEnd < 0 ? string.Empty : body[nameEnd..];
        var q = qualifier ?? SpfQualifier.Pass;

        switch (name)
        {
            case "all":
                return rest.Length == 0 ? (SpfMechanism.All(q, term), null) : (null, "'all' takes no argument");
            case "include":
            case "exists":
            {
                if (!rest.StartsWith(':') || rest.Length == 1)
                {
                    return (null, $"'{name}' needs ':domain'");
                }

                var spec = rest[1..];
                var error = ValidateDomainSpec(spec);
                return error is null
                    ? (name == "include" ? SpfMechanism.Include(q, spec, term) : SpfMechanism.Exists(q, spec, term), null)
                    : (null, error);
            }

            case "ptr":
            {
                if (rest.Length == 0)
                {
                    return (SpfMechanism.Ptr(q, null, term), null);
                }

                if (!rest.StartsWith(':') || rest.Length == 1)
                {
                    return (null, "'ptr' takes only ':domain'");
                }

                var error = ValidateDomainSpec(rest[1..]);
                return error is null ? (SpfMechanism.Ptr(q, rest[1..], term), null) : (null, error);
            }

            case "a":
            case "mx":
            {
                if (rest.Length == 0)
                {
                    // The common bare "a" / "mx": no regex match (and its allocation) per term.
                    return (name == "a" ? SpfMechanism.A(q, null, null, null, term) : SpfMechanism.Mx(q, null, null, null, term), null);
                }

                var match = DualCidr().Match(rest);
                var spec = match.Groups["spec"].Value;
                if (!TryCidr(match.Groups["c4"], 32, out var ip4) || !TryCidr(match.Groups["c6"], 128, out var ip6))
                {
                    return (null, "invalid CIDR length");
                }

                if (spec.Length > 0)
                {
                    if (!spec.StartsWith(':') || spec.Length == 1)
                    {
                        return (null, $"invalid '{name}' argument");
                    }

                    spec = spec[1..];
                    var error = ValidateDomainSpec(spec);
                    if (error is not null)
                    {
                        return (null, error);
                    }
                }

                var domainSpec = spec.Length == 0 ? null : spec;
                return (name == "a" ? SpfMechanism.A(q, domainSpec, ip4, ip6, term) : SpfMechanism.Mx(q, domainSpec, ip4, ip6, term), null);
            }

            case "ip4":
            case "ip6":
            {
                if (!rest.StartsWith(':'))
                {
                    return (null, $"'{name}' needs ':network'");
                }

                var value = rest[1..];
                var slash = value.IndexOf('/', StringComparison.Ordinal);
                var address = slash < 0 ? value : value[..slash];
                var v4 = name == "ip4";
                int? prefix = null;
                if (slash >= 0)
                {
                    var digits = value[(slash + 1)..];
                    if (!IsCidrNumber(digits, v4 ? 32 : 128, out var length))
                    {
                        return (null, "invalid CIDR length");
                    }

                    prefix = length;
                }

                if (v4 ? !IsStrictIPv4(address) : !IsIPv6(address))
                {
                    return (null, $"'{address}' is not an {(v4 ? "IPv4" : "IPv6")} address");
                }

                var network = IPAddress.Parse(address);
                return (v4 ? SpfMechanism.Ip4(q, network, prefix, term) : SpfMechanism.Ip6(q, network, prefix, term), null);
            }

            default:
                return (null, $"unknown mechanism '{name}'");
        }
    }

    private static bool TryCidr(Group group, int max, out int? value)
    {
        value = null;
        if (!group.Success)
        {
            return true;
        }

        if (!IsCidrNumber(group.Value, max, out var length))
        {
            return false;
        }

        value = length;
        return true;
    }

    /// <summary>"0" or a number without leading zeros, at most <paramref name="max"/> (§4.6.1 ip4-cidr-length, ip6-cidr-length).</summary>
    private static bool IsCidrNumber(string digits, int max, out int value)
    {
        value = 0;
        return digits.Length is > 0 and <= 3 && digits.All(char.IsAsciiDigit) && (digits == "0" || digits[0] != '0')
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    private static bool IsStrictIPv4(string text)
    {
        var parts = text.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p == "0" || p[0] != '0')
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsIPv6(string text) =>
        text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
        && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>domain-spec = macro-string domain-end (§7.1); domain-end = ( "." toplabel [ "." ] ) / macro-expand.</summary>
    private static string? ValidateDomainSpec(string spec)
    {
        if (spec.Length == 0)
        {
            return "empty domain-spec";
        }

        var error = SpfMacro.Validate(spec, false, out var endsWithMacro);
        if (error is not null || endsWithMacro)
        {
            return error;
        }

        var trimmed = spec.EndsWith('.') ? spec[..^1] : spec;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0)
        {
            return $"domain-spec '{spec}' does not end in '.toplabel'";
        }

        var top = trimmed[(dot + 1)..];
        return TopLabel().IsMatch(top) ? null : $"'{top}' is not a valid top label";
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9._-]*)=")]
    private static partial Regex ModifierName();

    [GeneratedRegex("^(?<spec>.*?)(?:/(?<c4>[0-9]+))?(?://(?<c6>[0-9]+))?$", RegexOptions.Singleline)]
    private static partial Regex DualCidr();

    [GeneratedRegex("^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])$")]
    private static partial Regex TopLabel();
}
