using System.Text;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.Azure.Tests.Messaging;

public class LocalServiceBusEnvelopeTests
{
    [Fact]
    public void Encode_then_decode_keeps_every_field()
    {
        var envelope = new LocalServiceBusEnvelope
        {
            Body = new byte[] { 0, 1, 2, 0xFF, (byte)'{' },
            MessageId = "m-1",
            ContentType = "application/json",
            Subject = "Microsoft.Storage.BlobCreated",
            CorrelationId = "c-1",
            ApplicationProperties = new Dictionary<string, object?> { ["s"] = "x", ["n"] = 42L, ["d"] = 1.5, ["b"] = true, ["z"] = null },
            DeadLetterReason = "MaxDeliveryCountExceeded",
            DeadLetterErrorDescription = "HTTP 500",
        };

        var decoded = LocalServiceBusEnvelope.Decode(envelope.Encode());

        Assert.Equal(envelope.Body.ToArray(), decoded.Body.ToArray());
        Assert.Equal("m-1", decoded.MessageId);
        Assert.Equal("application/json", decoded.ContentType);
        Assert.Equal("Microsoft.Storage.BlobCreated", decoded.Subject);
        Assert.Equal("c-1", decoded.CorrelationId);
        Assert.Equal("x", decoded.ApplicationProperties["s"]);
        Assert.Equal(42L, decoded.ApplicationProperties["n"]);
        Assert.Equal(1.5, decoded.ApplicationProperties["d"]);
        Assert.Equal(true, decoded.ApplicationProperties["b"]);
        Assert.Null(decoded.ApplicationProperties["z"]);
        Assert.Equal("MaxDeliveryCountExceeded", decoded.DeadLetterReason);
        Assert.Equal("HTTP 500", decoded.DeadLetterErrorDescription);
    }

    [Fact]
    public void The_wire_form_is_a_json_object_with_a_base64_body()
    {
        var text = LocalServiceBusEnvelope.FromText("{\"a\":1}", "application/json", "id1").Encode();

        Assert.Equal("{\"body\":\"eyJhIjoxfQ==\",\"messageId\":\"id1\",\"contentType\":\"application/json\"}", text);
    }

    [Fact]
    public void A_minimal_envelope_gets_a_message_id()
    {
        var decoded = LocalServiceBusEnvelope.Decode("{\"body\":\"aGk=\"}");

        Assert.Equal("hi", decoded.BodyText);
        Assert.False(string.IsNullOrEmpty(decoded.MessageId));
        Assert.Null(decoded.ContentType);
        Assert.Empty(decoded.ApplicationProperties);
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("[1,2]")]
    [InlineData("{\"messageId\":\"x\"}")]
    [InlineData("{\"body\":\"not base64!\"}")]
    public void Text_that_is_not_an_envelope_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => LocalServiceBusEnvelope.Decode(text));

    [Fact]
    public void Dead_letter_queue_is_named_after_the_queue() =>
        Assert.Equal("inbound-mail-deadletter", LocalServiceBusEnvelope.DeadLetterQueueName("inbound-mail"));

    [Fact]
    public void Body_text_is_utf8() =>
        Assert.Equal("é", LocalServiceBusEnvelope.Decode(LocalServiceBusEnvelope.FromText("é").Encode()).BodyText);

    [Fact]
    public void Body_bytes_are_exact() =>
        Assert.Equal(Encoding.UTF8.GetBytes("é"), LocalServiceBusEnvelope.FromText("é").Body.ToArray());
}
