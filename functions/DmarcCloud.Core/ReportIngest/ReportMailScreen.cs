using System.Text;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Decides from a mail's raw bytes, in a few linear scans and without allocating, whether it may carry a report. It
/// errs one way only: a mail it lets through may still carry none (the MIME parse decides), but a mail it stops could
/// not have given a report to <see cref="ReceivedReportReader"/>'s MIME path either.
/// </summary>
/// <remarks>
/// What the MIME path can find, and the bytes each needs somewhere in the mail:
/// <list type="bullet">
/// <item>an ARF failure report (RFC 5965 §2, RFC 6591): a part of type <c>message/feedback-report</c> — "feedback";</item>
/// <item>an aggregate report attached (RFC 7489 §7.2.1.1): gzip (<c>1F 8B</c>), zip (<c>PK 03</c>/<c>PK 05</c>) or XML
/// holding <c>&lt;feedback</c> — unless a content transfer encoding hides them: "base64", "quoted-printable",
/// "uuencode"/"x-uue" (RFC 2045 §6; MimeKit decodes no other);</item>
/// <item>a plain-text failure report: a subject or text speaking of a failure "report" — unless RFC 2047 encoded
/// words (<c>=?</c>) or a charset that does not keep ASCII letters as they are (UTF-16, UTF-32, UTF-7, EBCDIC…; every
/// charset but a short list of ASCII-compatible ones counts) hide the word.</item>
/// </list>
/// Letters are matched without regard to case, as MimeKit reads field names, media types and encodings.
/// </remarks>
internal static class ReportMailScreen
{
    private static readonly string[] Markers = ["feedback", "report", "base64", "quoted-printable", "uue", "=?"];

    /// <summary>Charsets in which ASCII letters are the ASCII bytes (a value starting with one of these).</summary>
    private static readonly string[] AsciiCompatibleCharsets = ["us-ascii", "ascii", "utf-8", "utf8", "iso-8859-", "iso8859", "windows-125", "cp125", "latin"];

    public static bool MayCarryReport(ReadOnlySpan<byte> mail)
    {
        if (mail.IndexOf([(byte)0x1F, (byte)0x8B]) >= 0 || mail.IndexOf("PK\x03"u8) >= 0 || mail.IndexOf("PK\x05"u8) >= 0)
        {
            return true;
        }

        foreach (var marker in Markers)
        {
            if (IndexOfIgnoreCase(mail, marker) >= 0)
            {
                return true;
            }
        }

        return HasUnusualCharset(mail);
    }

    /// <summary>Whether a <c>charset</c> parameter names something other than an ASCII-compatible charset (or is written in a form not read here).</summary>
    private static bool HasUnusualCharset(ReadOnlySpan<byte> mail)
    {
        var rest = mail;
        int at;
        while ((at = IndexOfIgnoreCase(rest, "charset")) >= 0)
        {
            rest = rest[(at + 7)..];
            var value = rest.TrimStart(" \t"u8);
            if (value.Length == 0 || value[0] != (byte)'=')
            {
                return true; // charset*=…, charset*0=… (RFC 2231) or something unexpected: let the MIME parser read it
            }

            value = value[1..].TrimStart(" \t\""u8);
            var known = false;
            foreach (var charset in AsciiCompatibleCharsets)
            {
                known |= value.Length >= charset.Length && Ascii.EqualsIgnoreCase(value[..charset.Length], charset);
            }

            if (!known)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ASCII case-insensitive search; the marker is lower-case ASCII. Linear: the marker is a few bytes.</summary>
    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> span, string marker)
    {
        var first = (byte)marker[0];
        var firstUpper = (byte)char.ToUpperInvariant(marker[0]);
        var offset = 0;
        while (offset <= span.Length - marker.Length)
        {
            var found = span[offset..].IndexOfAny(first, firstUpper);
            if (found < 0 || offset + found > span.Length - marker.Length)
            {
                return -1;
            }

            var candidate = offset + found;
            if (Ascii.EqualsIgnoreCase(span.Slice(candidate, marker.Length), marker))
            {
                return candidate;
            }

            offset = candidate + 1;
        }

        return -1;
    }
}
