namespace DmarcCloud.Core.ReportIngest;

/// <summary><c>policy_published</c>: the DMARC record the reporter found (RFC 7489 Appendix C, RFC 9990 §3.1.2).</summary>
public sealed record ReportPolicyPublished
{
    /// <summary><c>domain</c>, lower-cased.</summary>
    public required string Domain { get; init; }

    /// <summary><c>adkim</c> (<c>r</c>/<c>s</c>).</summary>
    public string? Adkim { get; init; }

    /// <summary><c>aspf</c> (<c>r</c>/<c>s</c>).</summary>
    public string? Aspf { get; init; }

    /// <summary><c>p</c>.</summary>
    public string? P { get; init; }

    /// <summary><c>sp</c>.</summary>
    public string? Sp { get; init; }

    /// <summary><c>np</c> (RFC 9990).</summary>
    public string? Np { get; init; }

    /// <summary><c>pct</c> (RFC 7489).</summary>
    public int? Pct { get; init; }

    /// <summary><c>fo</c>.</summary>
    public string? Fo { get; init; }

    /// <summary><c>testing</c> (RFC 9990, <c>y</c>/<c>n</c>).</summary>
    public string? Testing { get; init; }

    /// <summary><c>discovery_method</c> (RFC 9990, <c>psl</c>/<c>treewalk</c>).</summary>
    public string? DiscoveryMethod { get; init; }
}
