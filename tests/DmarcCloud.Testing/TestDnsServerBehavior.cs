namespace DmarcCloud.Testing;

/// <summary>How <see cref="TestDnsServer"/> treats the queries it receives.</summary>
public enum TestDnsServerBehavior
{
    /// <summary>Answer from the zone.</summary>
    Answer,

    /// <summary>Read the query and never answer: the client times out.</summary>
    Drop,

    /// <summary>Answer RCODE 2, SERVFAIL.</summary>
    ServFail,

    /// <summary>Answer RCODE 5, REFUSED.</summary>
    Refused,
}
