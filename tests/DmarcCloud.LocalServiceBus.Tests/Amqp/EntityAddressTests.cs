using DmarcCloud.LocalServiceBus.Amqp;

namespace DmarcCloud.LocalServiceBus.Tests.Amqp;

public sealed class EntityAddressTests
{
    [Theory]
    [InlineData("/orders", nameof(EntityKind.Queue), "orders", false)]
    [InlineData("orders", nameof(EntityKind.Queue), "orders", false)]
    [InlineData("amqp://127.0.0.1/orders", nameof(EntityKind.Queue), "orders", false)]
    [InlineData("/orders/$DeadLetterQueue", nameof(EntityKind.DeadLetterQueue), "orders", true)]
    [InlineData("orders/$deadletterqueue", nameof(EntityKind.DeadLetterQueue), "orders", true)]
    [InlineData("orders/$management", nameof(EntityKind.Management), "orders", false)]
    [InlineData("orders/$DeadLetterQueue/$management", nameof(EntityKind.Management), "orders", true)]
    [InlineData("$cbs", nameof(EntityKind.Cbs), "", false)]
    [InlineData("topic/Subscriptions/sub", nameof(EntityKind.Subscription), "topic/Subscriptions/sub", false)]
    [InlineData("orders/$Transfer/$DeadLetterQueue", nameof(EntityKind.Unknown), "orders/$Transfer", true)]
    [InlineData("", nameof(EntityKind.Unknown), "", false)]
    [InlineData(null, nameof(EntityKind.Unknown), "", false)]
    public void Link_addresses_name_their_entity(string? address, string kind, string queue, bool deadLetter)
    {
        var parsed = EntityAddress.Parse(address);
        Assert.Equal(kind, parsed.Kind.ToString());
        Assert.Equal(queue, parsed.QueueName);
        Assert.Equal(deadLetter, parsed.DeadLetter);
    }
}
