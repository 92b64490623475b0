using System.Text;

namespace DmarcCloud.Core.AuthResults;

/// <summary>Writes Authentication-Results fields and resinfos; the counterpart of <see cref="AuthenticationResultsParser"/>.</summary>
/// <remarks>
/// RFC 8601 §2.2: <c>authres-payload = [CFWS] authserv-id [CFWS authres-version] (no-result / 1*resinfo)</c>,
/// <c>resinfo = [CFWS] ";" methodspec [CFWS reasonspec] [1*(CFWS propspec)]</c>. Written on one line.
/// </remarks>
public static class AuthenticationResultsWriter
{
    /// <summary>The header field name.</summary>
    public const string FieldName = "Authentication-Results";

    /// <summary>The full field, <c>Authentication-Results: &lt;authserv-id&gt;; resinfo; …</c>.</summary>
    public static string Field(string authServId, IEnumerable<AuthenticationResultEntry> results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(authServId);
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder(FieldName).Append(": ").Append(authServId);
        var any = false;
        foreach (var result in results)
        {
            sb.Append("; ");
            AppendResInfo(sb, result);
            any = true;
        }

        return any ? sb.ToString() : sb.Append("; none").ToString();
    }

    /// <summary>One resinfo: <c>method=result (comment) ptype.property=value …</c>.</summary>
    public static string ResInfo(AuthenticationResultEntry result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        AppendResInfo(sb, result);
        return sb.ToString();
    }

    private static void AppendResInfo(StringBuilder sb, AuthenticationResultEntry result)
    {
        sb.Append(result.Method).Append('=').Append(result.Result);
        AppendComment(sb, result.Comment);
        foreach (var (name, value) in result.Properties)
        {
            sb.Append(' ').Append(name).Append('=').Append(Value(value));
        }
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
