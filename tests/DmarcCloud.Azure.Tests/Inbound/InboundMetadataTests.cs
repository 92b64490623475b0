using System.Net;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Azure.Tests.Inbound;

public class InboundMetadataTests
{
    private static readonly DateTimeOffset BlobCreated = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_envelope_survives_the_round_trip_through_blob_metadata()
    {
        var envelope = new SmtpEnvelope(IPAddress.Parse("2001:db8::25"), "mx.example.org", "bounce@example.org",
            ["a@example.com", "用户@例子.广告"], new DateTimeOffset(2026, 11, 22, 15, 4, 5, TimeSpan.Zero), Authenticated: true);

        var metadata = InboundMetadata.ToMetadata(envelope);
        Assert.All(metadata.Values, v => Assert.True(v.All(c => c < 0x7f), $"non-ASCII metadata value {v}"));
        Assert.All(metadata.Keys, k => Assert.Matches("^[a-z]+$", k));

        var parsed = InboundMetadata.TryParse(metadata, BlobCreated, out var error);
        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(envelope.ClientIp, parsed.ClientIp);
        Assert.Equal(envelope.Helo, parsed.Helo);
        Assert.Equal(envelope.MailFrom, parsed.MailFrom);
        Assert.Equal(envelope.RcptTo, parsed.RcptTo);
        Assert.Equal(envelope.ReceivedAt, parsed.ReceivedAt);
        Assert.True(parsed.Authenticated);
    }

    [Theory]
    [InlineData("clientip=192.0.2.1", "192.0.2.1", null, null, "", "2026-11-22T10:00:00Z")]
    [InlineData("ClientIP=[::ffff:192.0.2.1]|mailfrom=<>|rcptto=[\"a@x.example\",\"<b@y.example>\"]", "192.0.2.1", "", null, "a@x.example,b@y.example", "2026-11-22T10:00:00Z")]
    [InlineData("clientip=192.0.2.1|helo=mx.example|mailfrom=<s@example.com>|rcptto= a@x.example , b@x.example |receivedat=2026-11-21T23:59:59-01:00", "192.0.2.1", "s@example.com", "mx.example", "a@x.example,b@x.example", "2026-11-22T00:59:59Z")]
    public void Metadata_is_read_leniently(string pairs, string ip, string? mailFrom, string? helo, string rcpt, string receivedAt)
    {
        var parsed = InboundMetadata.TryParse(Pairs(pairs), BlobCreated, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(IPAddress.Parse(ip), parsed.ClientIp);
        Assert.Equal(mailFrom, parsed.MailFrom);
        Assert.Equal(helo, parsed.Helo);
        Assert.Equal(rcpt, string.Join(',', parsed.RcptTo));
        Assert.Equal(DateTimeOffset.Parse(receivedAt, System.Globalization.CultureInfo.InvariantCulture), parsed.ReceivedAt);
    }

    [Theory]
    [InlineData("helo=mx.example", "blob metadata 'clientip' is missing")]
    [InlineData("clientip=not-an-ip", "blob metadata 'clientip' is not an IP address")]
    [InlineData("clientip=192.0.2.1|receivedat=yesterday", "blob metadata 'receivedat' is not an ISO 8601 time")]
    [InlineData("clientip=192.0.2.1|rcptto=[1,2", "blob metadata 'rcptto' is not a JSON array of strings")]
    public void Unusable_metadata_is_refused_with_a_reason(string pairs, string reasonStart)
    {
        Assert.Null(InboundMetadata.TryParse(Pairs(pairs), BlobCreated, out var error));
        Assert.StartsWith(reasonStart, error, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Pairs(string text) =>
        text.Split('|').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
