using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>The error conditions the SDK maps to its exceptions (Azure.Messaging.ServiceBus AmqpExceptionHelper).</summary>
internal static class ServiceBusErrors
{
    public static readonly AmqpSymbol MessageLockLost = "com.microsoft:message-lock-lost";
    public static readonly AmqpSymbol DeadLetterCondition = "com.microsoft:dead-letter";
    public static readonly AmqpSymbol SessionFilterName = "com.microsoft:session-filter";

    public const string LockLostDescription =
        "The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue.";

    public static AmqpException NotSupported(string what) =>
        new(AmqpErrorCode.NotImplemented, $"{what} is not supported by the local Service Bus (docs/local-servicebus.md).");

    public static AmqpException EntityNotFound(string address) =>
        new(AmqpErrorCode.NotFound, $"The messaging entity '{address}' could not be found. The local Service Bus serves only the queues of its configuration.");

    public static Rejected Reject(AmqpSymbol condition, string description) =>
        new() { Error = new Error { Condition = condition, Description = description } };
}
