using System.Globalization;
using System.Text;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Evaluation;

/// <summary>Renders a verdict as an RFC 8601 Authentication-Results header field.</summary>
/// <remarks>
/// RFC 8601 §2.2 (syntax) and §2.7 (result names), RFC 6008 (<c>header.b</c>), RFC 8617 §10.2 (<c>arc</c>),
/// RFC 9989 §11 (<c>policy.dmarc</c>). One line, resinfos in the order spf, dkim, arc, dmarc.
/// </remarks>
public static class AuthenticationResultsWriter
{
    /// <summary>The header field name.</summary>
    public const string FieldName = "Authentication-Results";

    /// <summary>The full field, "Authentication-Results: &lt;authserv-id&gt;; …".</summary>
    public static string Render(Verdict verdict, string authServId)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentException.ThrowIfNullOrWhiteSpace(authServId);
        var parts = new List<string>();
        if (verdict.Spf is { } spf)
        {
            parts.Add(RenderSpf(spf, verdict.Envelope.MailFrom));
        }

        if (verdict.SpfHelo is { } helo && (verdict.Spf is null || verdict.Spf.Identity != SpfIdentity.Helo))
        {
            parts.Add(RenderSpf(helo, null));
        }

        if (verdict.Dkim.Count == 0)
        {
            parts.Add("dkim=none");
        }
        else
        {
            parts.AddRange(verdict.Dkim.Select(RenderDkim));
        }

        parts.Add(RenderArc(verdict.Arc));
        parts.Add(RenderDmarc(verdict));
        return $"{FieldName}: {authServId}; {string.Join("; ", parts)}";
    }

    /// <summary>The RFC 8601 name of an SPF result.</summary>
    public static string Name(SpfResult result) => result.ToString().ToLowerInvariant();

    /// <summary>The RFC 8601 name of a DKIM result.</summary>
    public static string Name(DkimResult result) => result.ToString().ToLowerInvariant();

    /// <summary>The RFC 8601 name of a DMARC result.</summary>
    public static string Name(DmarcResult result) => result.ToString().ToLowerInvariant();

    private static string RenderSpf(SpfCheckResult spf, string? mailFrom)
    {
        var sb = new StringBuilder("spf=").Append(Name(spf.Result));
        AppendComment(sb, spf.Result is SpfResult.Pass or SpfResult.None ? null : spf.Explanation);
        if (spf.Identity == SpfIdentity.Helo)
        {
            sb.Append(" smtp.helo=").Append(Value(spf.Domain));
        }
        else
        {
            sb.Append(" smtp.mailfrom=").Append(Value(string.IsNullOrEmpty(mailFrom) ? spf.Domain : mailFrom));
        }

        return sb.ToString();
    }

    private static string RenderDkim(DkimSignatureResult dkim)
    {
        var sb = new StringBuilder("dkim=").Append(Name(dkim.Result));
        var notes = new List<string>();
        if (dkim.KeyBits is { } bits)
        {
            notes.Add(bits.ToString(CultureInfo.InvariantCulture) + "-bit key");
        }

        if (dkim.KeyTesting)
        {
            notes.Add("key in test mode");
        }

        if (dkim.BodyLengthLimited)
        {
            notes.Add("body partly unsigned (l=)");
        }

        if (dkim.Result != DkimResult.Pass && dkim.Reason is { Length: > 0 } reason)
        {
            notes.Add(reason);
        }

        AppendComment(sb, notes.Count == 0 ? null : string.Join("; ", notes));
        if (dkim.Domain.Length > 0)
        {
            sb.Append(" header.d=").Append(Value(dkim.Domain));
        }

        if (dkim.Identity is { Length: > 0 } identity)
        {
            sb.Append(" header.i=").Append(Value(identity));
        }

        if (dkim.Selector.Length > 0)
        {
            sb.Append(" header.s=").Append(Value(dkim.Selector));
        }

        if (dkim.Algorithm.Length > 0)
        {
            sb.Append(" header.a=").Append(Value(dkim.Algorithm));
        }

        if (dkim.SignatureBPrefix is { Length: > 0 } b)
        {
            sb.Append(" header.b=").Append(Value(b));
        }

        return sb.ToString();
    }

    private static string RenderArc(ArcValidationResult arc)
    {
        var sb = new StringBuilder("arc=").Append(arc.Status.ToString().ToLowerInvariant());
        if (arc.Status == ArcChainStatus.Fail)
        {
            AppendComment(sb, arc.Reason ?? (arc.FailedInstance is { } i ? $"i={i}" : null));
        }
        else if (arc.Status == ArcChainStatus.Pass && arc.Hops.Count > 0)
        {
            var newest = arc.Hops.MaxBy(h => h.Instance)!;
            AppendComment(sb, $"i={newest.Instance} {newest.SealDomain}");
        }

        return sb.ToString();
    }

    private static string RenderDmarc(Verdict verdict)
    {
        var sb = new StringBuilder("dmarc=").Append(Name(verdict.Result));
        string? comment = verdict.Result switch
        {
            DmarcResult.PermError or DmarcResult.TempError => verdict.DmarcReason ?? verdict.HeaderFromProblem,
            _ when verdict.Policy is not null =>
                $"p={Name(verdict.Policy.P)} dis={verdict.Disposition.ToString().ToLowerInvariant()}"
                + string.Concat(verdict.Overrides.Select(o => " " + OverrideName(o.Type))),
            _ => null,
        };
        AppendComment(sb, comment);
        if (verdict.HeaderFrom is { } from)
        {
            sb.Append(" header.from=").Append(Value(from));
        }

        if (verdict.RequestedPolicy is { } requested)
        {
            sb.Append(" policy.dmarc=").Append(Name(requested));
        }

        return sb.ToString();
    }

    /// <summary>The RFC 9990 name of an override reason (<c>local_policy</c>, <c>trusted_forwarder</c>, …).</summary>
    public static string OverrideName(PolicyOverrideType type) => type switch
    {
        PolicyOverrideType.Forwarded => "forwarded",
        PolicyOverrideType.SampledOut => "sampled_out",
        PolicyOverrideType.TrustedForwarder => "trusted_forwarder",
        PolicyOverrideType.MailingList => "mailing_list",
        PolicyOverrideType.LocalPolicy => "local_policy",
        PolicyOverrideType.PolicyTestMode => "policy_test_mode",
        _ => "other",
    };

    private static string Name(DmarcPolicy policy) => policy.ToString().ToLowerInvariant();

    private static void AppendComment(StringBuilder sb, string? comment)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return;
        }

        // Comments may nest parentheses only in balance; keep the text plain and on one line.
        var clean = new string(comment.Select(c => c is '(' or ')' ? '\'' : char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        sb.Append(" (").Append(clean).Append(')');
    }

    /// <summary>A property value: as is when it is a token or an address, else a quoted-string (RFC 8601 §2.2 pvalue).</summary>
    private static string Value(string value)
    {
        if (value.Length > 0 && value.All(c => c > ' ' && c < 127 && c is not ('"' or '(' or ')' or ';' or '\\' or ',' or '[' or ']' or '<' or '>' or ':')))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
