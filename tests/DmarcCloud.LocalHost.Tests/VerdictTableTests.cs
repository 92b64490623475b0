using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost.Tests;

public class VerdictTableTests
{
    [Theory]
    [InlineData(
        """{"blob":"inbound/a.eml","headerFrom":"example.com","dmarc":"fail","disposition":"reject","authenticationResults":"Authentication-Results: mx.local; spf=pass smtp.mailfrom=example.com; dkim=fail header.d=example.com; dkim=pass header.d=other.example; arc=none; dmarc=fail header.from=example.com"}""",
        "a.eml|example.com|pass|fail,pass|none|fail|reject")]
    [InlineData(
        """{"blob":"inbound/b.eml","headerFrom":null,"disposition":"none","authenticationResults":"Authentication-Results: mx.local; dmarc=permerror"}""",
        "b.eml|||||permerror|none")]
    [InlineData("not json", "not json||||||")]
    [InlineData("""{"blob":"inbound/2026/11/22/ee261ad333ac430caaf67895edc6a5d8-08-malformed-no-from.eml"}""", "08-malformed-no-from.eml||||||")]
    public void A_verdict_message_becomes_a_row(string body, string expected) =>
        Assert.Equal(expected, string.Join('|', VerdictTable.Row(LocalServiceBusEnvelope.FromText(body).Encode())));
}
