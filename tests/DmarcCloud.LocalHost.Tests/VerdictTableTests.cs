using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost.Tests;

public class VerdictTableTests
{
    [Theory]
    [InlineData(
        """{"blob":"inbound/a.eml","headerFrom":"example.com","dmarc":"fail","disposition":"reject","authenticationResults":"Authentication-Results: mx.local; spf=pass smtp.mailfrom=example.com; dkim=fail header.d=example.com; dkim=pass header.d=other.example; arc=none; dmarc=fail header.from=example.com"}""",
        "inbound/a.eml|example.com|pass|fail,pass|none|fail|reject")]
    [InlineData(
        """{"blob":"inbound/b.eml","headerFrom":null,"disposition":"none","authenticationResults":"Authentication-Results: mx.local; dmarc=permerror"}""",
        "inbound/b.eml|||||permerror|none")]
    [InlineData("not json", "not json||||||")]
    public void A_verdict_message_becomes_a_row(string body, string expected) =>
        Assert.Equal(expected, string.Join('|', VerdictTable.Row(LocalServiceBusEnvelope.FromText(body).Encode())));
}
