using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// Claims-based security: the SDK puts a token before every link attach. The local broker accepts any
/// token (development only; it listens on 127.0.0.1) and answers 202 with an Int32 status (shared notes, fact 2).
/// </summary>
internal static class CbsNode
{
    public static AmqpMessage Handle(AmqpMessage request)
    {
        var reply = AmqpMessage.Create();
        reply.ApplicationProperties.Map[new MapKey("status-code")] = 202;
        reply.ApplicationProperties.Map[new MapKey("status-description")] = "Accepted";
        return reply;
    }
}
