namespace DmarcCloud.Core.Dkim;

/// <summary>How a DKIM key lookup ended.</summary>
/// <remarks>RFC 6376 §6.1.2: a temporary DNS failure is TEMPFAIL; no record or an unparsable record is PERMFAIL.</remarks>
public enum DkimKeyLookupStatus
{
    /// <summary>A usable key record was found.</summary>
    Found,

    /// <summary>NXDOMAIN or NODATA: there is no key ("PERMFAIL (no key for signature)").</summary>
    NotFound,

    /// <summary>Records exist but none parses as a DKIM key record.</summary>
    Invalid,

    /// <summary>DNS could not answer now (timeout, SERVFAIL): "TEMPFAIL (key unavailable)".</summary>
    TemporaryFailure,
}
