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

    private static string RenderSpf(SpfCheckResult spf, string? mailFrom)
    {
        var sb = new StringBuilder("spf=").Append(RfcName.Of(spf.Result));
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
        var sb = new StringBuilder("dkim=").Append(RfcName.Of(dkim.Result));
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
        var sb = new StringBuilder("arc=").Append(RfcName.Of(arc.Status));
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
        var sb = new StringBuilder("dmarc=").Append(RfcName.Of(verdict.Result));
        string? comment = verdict.Result switch
        {
            DmarcResult.PermError or DmarcResult.TempError => verdict.DmarcReason ?? verdict.HeaderFromProblem,
            _ when verdict.Policy is not null =>
                $"p={RfcName.Of(verdict.Policy.P)} dis={RfcName.Of(verdict.Disposition)}"
                + string.Concat(verdict.Overrides.Select(o => " " + RfcName.Of(o.Type))),
            _ => null,
        };
        AppendComment(sb, comment);
        if (verdict.HeaderFrom is { } from)
        {
            sb.Append(" header.from=").Append(Value(from));
        }

        if (verdict.RequestedPolicy is { } requested)
        {
            sb.Append(" policy.dmarc=").Append(RfcName.Of(requested));
        }

        return sb.ToString();
    }

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
