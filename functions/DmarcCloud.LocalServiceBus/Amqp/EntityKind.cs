namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>What a link address names (shared notes, fact 3: <c>/orders</c>, <c>/orders/$DeadLetterQueue</c>, <c>orders/$management</c>, <c>$cbs</c>).</summary>
internal enum EntityKind
{
    Queue,
    DeadLetterQueue,
    Management,
    Cbs,
    Subscription,
    Unknown,
}
