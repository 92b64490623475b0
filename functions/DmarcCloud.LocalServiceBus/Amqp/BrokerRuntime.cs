using DmarcCloud.LocalServiceBus.Messaging;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Transaction;
using Microsoft.Azure.Amqp.Transport;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// The broker's side of Microsoft.Azure.Amqp: accepts connections and decides what each attached link is
/// (a sender or receiver on a queue, $cbs, $management) or refuses it with an AMQP error the SDK throws.
/// </summary>
internal sealed class BrokerRuntime : IRuntimeProvider
{
    const uint ManagementMaxMessageSize = 4 * 1024 * 1024;
    readonly IReadOnlyDictionary<string, QueueEntity> queues;
    readonly ReplyRouter replies = new();
    readonly HashSet<AmqpConnection> connections = new();

    public BrokerRuntime(IReadOnlyDictionary<string, QueueEntity> queues)
    {
        this.queues = queues;
    }

    public void Accept(TransportListener listener, TransportAsyncCallbackArgs args, AmqpSettings settings)
    {
        var connectionSettings = new AmqpConnectionSettings
        {
            ContainerId = "DmarcCloud.LocalServiceBus",
            MaxFrameSize = 64 * 1024,
            IdleTimeOut = 4 * 60 * 1000,
        };
        AmqpConnection? connection = null;
        try
        {
            connection = new AmqpConnection(args.Transport, (ProtocolHeader)args.UserToken, false, settings, connectionSettings);
            connection.SafeAddClosed((sender, _) =>
            {
                lock (connections)
                {
                    connections.Remove((AmqpConnection)sender!);
                }
            });
            lock (connections)
            {
                connections.Add(connection);
            }

            connection.BeginOpen(AmqpConstants.DefaultTimeout, OnOpened, connection);
        }
        catch (Exception ex) when (ex is AmqpException or IOException or InvalidOperationException or TimeoutException)
        {
            connection?.SafeClose(ex);
        }
    }

    public void CloseAll()
    {
        AmqpConnection[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        foreach (var connection in open)
        {
            connection.SafeClose();
        }
    }

    static void OnOpened(IAsyncResult result)
    {
        var connection = (AmqpConnection)result.AsyncState!;
        try
        {
            connection.EndOpen(result);
        }
        catch (Exception ex) when (ex is AmqpException or IOException or InvalidOperationException or TimeoutException or OperationCanceledException)
        {
            connection.SafeClose(ex);
        }
    }

    public AmqpConnection CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator, AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, isInitiator, amqpSettings, connectionSettings);

    public AmqpSession CreateSession(AmqpConnection connection, AmqpSessionSettings settings) =>
        throw new InvalidOperationException("The broker does not open sessions itself.");

    public AmqpLink CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        if (settings.Role == true)
        {
            // The client sends: announce the queue's max-message-size (shared notes, fact 4).
            var address = EntityAddress.Parse((settings.Target as Target)?.Address?.ToString());
            settings.MaxMessageSize = address.Kind == EntityKind.Queue && queues.TryGetValue(address.QueueName, out var queue)
                ? (ulong)queue.Options.MaxMessageSizeInBytes
                : ManagementMaxMessageSize;
            settings.TotalLinkCredit = 100;
            settings.AutoSendFlow = true;
            return new ReceivingAmqpLink(session, settings);
        }

        settings.MaxMessageSize ??= ManagementMaxMessageSize;
        return new SendingAmqpLink(session, settings);
    }

    public IAsyncResult BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        if (link is ReceivingAmqpLink receiving)
        {
            AttachIncoming(receiving);
        }
        else
        {
            AttachOutgoing((SendingAmqpLink)link);
        }

        return new CompletedResult(callback, state);
    }

    public void EndOpenLink(IAsyncResult result)
    {
    }

    void AttachIncoming(ReceivingAmqpLink link)
    {
        if (link.Settings.Target is Coordinator)
        {
            throw ServiceBusErrors.NotSupported("A transaction");
        }

        string? raw = (link.Settings.Target as Target)?.Address?.ToString();
        var address = EntityAddress.Parse(raw);
        switch (address.Kind)
        {
            case EntityKind.Cbs:
                _ = new RequestLink(link, CbsNode.Handle, replies);
                break;
            case EntityKind.Management:
                var node = new ManagementNode(Find(address, raw), address.DeadLetter);
                _ = new RequestLink(link, node.Handle, replies);
                break;
            case EntityKind.Queue:
                _ = new QueueSenderLink(link, Find(address, raw));
                break;
            case EntityKind.DeadLetterQueue:
                throw new AmqpException(AmqpErrorCode.NotAllowed, $"Sending to '{raw}' is not allowed: a dead-letter queue only receives.");
            case EntityKind.Subscription:
                throw ServiceBusErrors.NotSupported("Topics and subscriptions");
            default:
                throw ServiceBusErrors.EntityNotFound(raw ?? "(no address)");
        }
    }

    void AttachOutgoing(SendingAmqpLink link)
    {
        var source = link.Settings.Source as Source;
        string? raw = source?.Address?.ToString();
        var address = EntityAddress.Parse(raw);
        switch (address.Kind)
        {
            case EntityKind.Cbs or EntityKind.Management:
                string? replyTo = (link.Settings.Target as Target)?.Address?.ToString();
                if (replyTo is null)
                {
                    throw new AmqpException(AmqpErrorCode.InvalidField, "A reply link needs a target address (the reply-to of its requests).");
                }

                replies.Register(replyTo, link);
                break;
            case EntityKind.Queue or EntityKind.DeadLetterQueue:
                if (source?.FilterSet is { } filters && filters.TryGetValue<object>(ServiceBusErrors.SessionFilterName, out _))
                {
                    throw ServiceBusErrors.NotSupported("A session receiver");
                }

                _ = new QueueReceiverLink(link, Find(address, raw), address.Kind == EntityKind.DeadLetterQueue);
                break;
            case EntityKind.Subscription:
                throw ServiceBusErrors.NotSupported("Topics and subscriptions");
            default:
                throw ServiceBusErrors.EntityNotFound(raw ?? "(no address)");
        }
    }

    QueueEntity Find(EntityAddress address, string? raw) =>
        queues.TryGetValue(address.QueueName, out var queue) ? queue : throw ServiceBusErrors.EntityNotFound(raw ?? address.QueueName);

    sealed class CompletedResult : IAsyncResult
    {
        public CompletedResult(AsyncCallback callback, object state)
        {
            AsyncState = state;
            callback(this);
        }

        public object AsyncState { get; }

        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();

        public bool CompletedSynchronously => true;

        public bool IsCompleted => true;
    }
}
