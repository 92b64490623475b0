using Microsoft.Azure.Amqp;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>The request side of $cbs or an entity's $management node: each request gets one reply, correlated by message id.</summary>
internal sealed class RequestLink
{
    readonly ReceivingAmqpLink link;
    readonly Func<AmqpMessage, AmqpMessage> handler;
    readonly ReplyRouter replies;

    public RequestLink(ReceivingAmqpLink link, Func<AmqpMessage, AmqpMessage> handler, ReplyRouter replies)
    {
        this.link = link;
        this.handler = handler;
        this.replies = replies;
        link.RegisterMessageListener(OnMessage);
    }

    void OnMessage(AmqpMessage request)
    {
        try
        {
            var reply = handler(request);
            reply.Properties.CorrelationId = request.Properties.MessageId;
            replies.TrySend(request.Properties.ReplyTo?.ToString(), reply);
            if (!request.Settled)
            {
                link.AcceptMessage(request, false);
            }
        }
        finally
        {
            request.Dispose();
        }
    }
}
