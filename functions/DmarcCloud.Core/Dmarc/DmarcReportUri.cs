namespace DmarcCloud.Core.Dmarc;

/// <summary>One URI of a <c>rua=</c> or <c>ruf=</c> list, with its legacy size limit kept.</summary>
/// <remarks>
/// RFC 9989 §4.7 (<c>dmarc-uri</c>): only <c>mailto</c> is used for sending reports. The <c>!size</c> suffix of
/// RFC 7489 §6.4 is obsolete syntax that receivers ignore; it is parsed and kept here so that tools can show it.
/// </remarks>
/// <param name="Uri">The URI without the size suffix, case as published.</param>
/// <param name="Scheme">The scheme, lower-case (<c>mailto</c>, <c>https</c>, …), or empty when there is none.</param>
/// <param name="IsValid">The URI is one DmarcCloud could report to: <c>mailto:</c> with an address, or an absolute <c>http(s)</c> URI.</param>
/// <param name="MaxSizeBytes">The legacy <c>!size</c> limit in bytes, when one was published.</param>
/// <param name="SizeSuffix">The size suffix as published (e.g. <c>10m</c>), or null.</param>
public sealed record DmarcReportUri(string Uri, string Scheme, bool IsValid, long? MaxSizeBytes = null, string? SizeSuffix = null)
{
    /// <summary>The mailbox of a <c>mailto:</c> URI (without query), or null for other schemes.</summary>
    public string? MailboxAddress
    {
        get
        {
            if (Scheme != "mailto")
            {
                return null;
            }

            var address = Uri[(Uri.IndexOf(':', StringComparison.Ordinal) + 1)..];
            var query = address.IndexOf('?', StringComparison.Ordinal);
            return System.Uri.UnescapeDataString(query < 0 ? address : address[..query]);
        }
    }

    /// <summary>Parses one URI as published in a <c>rua</c>/<c>ruf</c> list (e.g. <c>mailto:ruf@example.com!10m</c>). Never throws.</summary>
    public static DmarcReportUri Parse(string published)
    {
        ArgumentNullException.ThrowIfNull(published);
        return DmarcRecord.ParseUri(published.Trim());
    }

    /// <inheritdoc />
    public override string ToString() => SizeSuffix is null ? Uri : Uri + "!" + SizeSuffix;
}
