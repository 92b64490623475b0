namespace DmarcCloud.Core.Dmarc;

/// <summary>What DmarcCloud asks the mail platform to do with the message.</summary>
public enum Disposition
{
    /// <summary>Deliver normally.</summary>
    None,

    /// <summary>Deliver to quarantine or junk.</summary>
    Quarantine,

    /// <summary>Refuse the message.</summary>
    Reject,
}
