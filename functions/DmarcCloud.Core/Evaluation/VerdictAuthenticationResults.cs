using System.Globalization;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Evaluation;

/// <summary>The RFC 8601 Authentication-Results of a verdict: which resinfos, with which comments and properties.</summary>
/// <remarks>
/// RFC 8601 §2.7 (result names), RFC 6008 (<c>header.b</c>), RFC 8617 §10.2 (<c>arc</c>), RFC 9989 §11
/// (<c>policy.dmarc</c>). Resinfos in the order spf, dkim, arc, dmarc; the syntax is <see cref="AuthenticationResultsWriter"/>'s.
/// </remarks>
public static class VerdictAuthenticationResults
{
    /// <summary>The full field, "Authentication-Results: &lt;authserv-id&gt;; …".</summary>
    public static string Render(Verdict verdict, string authServId)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentException.ThrowIfNullOrWhiteSpace(authServId);
        return AuthenticationResultsWriter.Field(authServId, Entries(verdict));
    }

    /// <summary>The resinfos of <paramref name="verdict"/>, in field order.</summary>
    public static IEnumerable<AuthenticationResultEntry> Entries(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.Spf is { } spf)
        {
            yield return Spf(spf, verdict.Envelope.MailFrom);
        }

        if (verdict.SpfHelo is { } helo && (verdict.Spf is null || verdict.Spf.Identity != SpfIdentity.Helo))
        {
            yield return Spf(helo, null);
        }

        if (verdict.Dkim.Count == 0)
        {
            yield return new AuthenticationResultEntry("dkim", RfcName.Of(DkimResult.None), Properties());
        }

        foreach (var dkim in verdict.Dkim)
        {
            yield return Dkim(dkim);
        }

        yield return Arc(verdict.Arc);
        yield return Dmarc(verdict);
    }

    /// <summary>The <c>spf</c> resinfo (with <c>smtp.mailfrom</c> or <c>smtp.helo</c>).</summary>
    public static AuthenticationResultEntry Spf(SpfCheckResult spf, string? mailFrom)
    {
        ArgumentNullException.ThrowIfNull(spf);
        var properties = spf.Identity == SpfIdentity.Helo
            ? Properties(("smtp.helo", spf.Domain))
            : Properties(("smtp.mailfrom", string.IsNullOrEmpty(mailFrom) ? spf.Domain : mailFrom));
        return new AuthenticationResultEntry("spf", RfcName.Of(spf.Result), properties)
        {
            Comment = spf.Result is SpfResult.Pass or SpfResult.None ? null : spf.Explanation,
        };
    }

    /// <summary>The <c>dkim</c> resinfo of one signature, with key size, test mode and <c>l=</c> in the comment.</summary>
    public static AuthenticationResultEntry Dkim(DkimSignatureResult dkim)
    {
        ArgumentNullException.ThrowIfNull(dkim);
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

        return new AuthenticationResultEntry("dkim", RfcName.Of(dkim.Result), Properties(
            ("header.d", dkim.Domain),
            ("header.i", dkim.Identity),
            ("header.s", dkim.Selector),
            ("header.a", dkim.Algorithm),
            ("header.b", dkim.SignatureBPrefix)))
        {
            Comment = notes.Count == 0 ? null : string.Join("; ", notes),
        };
    }

    /// <summary>The <c>arc</c> resinfo: the failing instance or reason, or the newest sealer when it passes.</summary>
    public static AuthenticationResultEntry Arc(ArcValidationResult arc)
    {
        ArgumentNullException.ThrowIfNull(arc);
        string? comment = null;
        if (arc.Status == ArcChainStatus.Fail)
        {
            comment = arc.Reason ?? (arc.FailedInstance is { } i ? $"i={i}" : null);
        }
        else if (arc.Status == ArcChainStatus.Pass && arc.Hops.Count > 0)
        {
            var newest = arc.Hops.MaxBy(h => h.Instance)!;
            comment = $"i={newest.Instance} {newest.SealDomain}";
        }

        return new AuthenticationResultEntry("arc", RfcName.Of(arc.Status), Properties()) { Comment = comment };
    }

    /// <summary>The <c>dmarc</c> resinfo, with <c>header.from</c> and <c>policy.dmarc</c> (RFC 9989 §11).</summary>
    public static AuthenticationResultEntry Dmarc(Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        string? comment = verdict.Result switch
        {
            DmarcResult.PermError or DmarcResult.TempError => verdict.DmarcReason ?? verdict.HeaderFromProblem,
            _ when verdict.Policy is not null =>
                $"p={RfcName.Of(verdict.Policy.P)} dis={RfcName.Of(verdict.Disposition)}"
                + string.Concat(verdict.Overrides.Select(o => " " + RfcName.Of(o.Type))),
            _ => null,
        };
        return new AuthenticationResultEntry("dmarc", RfcName.Of(verdict.Result), Properties(
            ("header.from", verdict.HeaderFrom),
            ("policy.dmarc", verdict.RequestedPolicy is { } requested ? RfcName.Of(requested) : null)))
        {
            Comment = comment,
        };
    }

    /// <summary>Properties in the given order, leaving out absent (null or empty) values.</summary>
    private static Dictionary<string, string> Properties(params ReadOnlySpan<(string Name, string? Value)> properties)
    {
        var result = new Dictionary<string, string>(properties.Length, StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (!string.IsNullOrEmpty(value))
            {
                result[name] = value;
            }
        }

        return result;
    }
}
