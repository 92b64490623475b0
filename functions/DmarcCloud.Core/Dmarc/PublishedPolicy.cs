namespace DmarcCloud.Core.Dmarc;

/// <summary>
/// The DMARC policy as it was published and found when a message was evaluated: the snapshot that goes
/// into the verdict, the verdict store and the aggregate report's <c>policy_published</c>.
/// </summary>
/// <param name="Domain">The domain whose <c>_dmarc</c> record was used (the policy domain).</param>
/// <param name="Record">The record text as published.</param>
/// <param name="P">The <c>p=</c> policy (RFC 9989: missing means none).</param>
/// <param name="Sp">The <c>sp=</c> policy, if published.</param>
/// <param name="Np">The <c>np=</c> policy, if published.</param>
/// <param name="Adkim">DKIM alignment mode.</param>
/// <param name="Aspf">SPF alignment mode.</param>
/// <param name="Testing">The <c>t=y</c> testing flag.</param>
/// <param name="Psd">The <c>psd=</c> flag.</param>
/// <param name="Pct">The RFC 7489 <c>pct=</c> value, if published (historic in RFC 9989).</param>
/// <param name="Fo">The <c>fo=</c> failure reporting options, if published.</param>
/// <param name="Rua">The aggregate report URIs (as published, size suffixes kept).</param>
/// <param name="Ruf">The failure report URIs (as published).</param>
/// <param name="DiscoveryMethod">How the record was found.</param>
public sealed record PublishedPolicy(
    string Domain,
    string Record,
    DmarcPolicy P,
    DmarcPolicy? Sp,
    DmarcPolicy? Np,
    AlignmentMode Adkim,
    AlignmentMode Aspf,
    bool Testing,
    PsdFlag Psd,
    int? Pct,
    string? Fo,
    IReadOnlyList<string> Rua,
    IReadOnlyList<string> Ruf,
    DiscoveryMethod DiscoveryMethod);
