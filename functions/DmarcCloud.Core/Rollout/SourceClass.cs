namespace DmarcCloud.Core.Rollout;

/// <summary>What a sending source looks like in the reports.</summary>
public enum SourceClass
{
    /// <summary>All of its mail passes DMARC.</summary>
    Compliant,

    /// <summary>Some of its mail fails DMARC, but it looks like a sender the domain uses: fix it before enforcing.</summary>
    Legitimate,

    /// <summary>Its mail fails and nothing suggests the domain uses it: spoofing, or an unknown sender.</summary>
    Suspicious,
}
