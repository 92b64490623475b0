namespace DmarcCloud.Core.DomainCheck;

/// <summary>Settings of <see cref="DomainChecker"/> and the record generator.</summary>
/// <remarks>RFC 8301 §3.2 (key sizes), RFC 7208 §3.4 (answer size), RFC 9990 §2.4 (external report destinations).</remarks>
public sealed class DomainCheckOptions
{
    /// <summary>
    /// Selectors that common mail providers publish keys under, tried in addition to the ones asked for: Microsoft 365
    /// (<c>selector1</c>, <c>selector2</c>), Google Workspace (<c>google</c>), Mailchimp/Mandrill (<c>k1</c>,
    /// <c>mandrill</c>), SendGrid (<c>s1</c>, <c>s2</c>), Amazon SES-style and generic ones (<c>default</c>,
    /// <c>dkim</c>, <c>mail</c>). A missing key under one of these is not a finding.
    /// </summary>
    public IReadOnlyList<string> WellKnownSelectors { get; init; } =
        ["default", "selector1", "selector2", "google", "k1", "mandrill", "s1", "s2", "dkim", "mail"];

    /// <summary>
    /// The platform's mailbox for aggregate reports (e.g. <c>dmarc-reports@reports.dmarccloud.example</c>): the
    /// <c>rua</c> of generated records. When null, generated records send reports to <c>dmarc-reports@&lt;domain&gt;</c>.
    /// </summary>
    public string? ReportMailbox { get; init; }

    /// <summary>RSA keys below this fail (RFC 8301 §3.2: verifiers MUST NOT accept them). Default 1024.</summary>
    public int MinimumRsaKeyBits { get; init; } = 1024;

    /// <summary>RSA keys below this are a warning (RFC 8301 §3.2: signers SHOULD use at least 2048 bits). Default 2048.</summary>
    public int RecommendedRsaKeyBits { get; init; } = 2048;

    /// <summary>
    /// A TXT answer larger than this (estimated DNS message size) is flagged: classic UDP DNS carries 512 octets, and
    /// RFC 7208 §3.4 asks SPF publishers to stay below it so that no receiver needs TCP or EDNS. Default 512.
    /// </summary>
    public int MaxUdpAnswerBytes { get; init; } = 512;

    /// <summary>Include/redirect depth the SPF tree follows before it stops (loops are detected before this). Default 20.</summary>
    public int MaxSpfTreeDepth { get; init; } = 20;
}
