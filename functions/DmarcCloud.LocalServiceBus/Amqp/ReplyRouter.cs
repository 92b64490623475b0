using System.Collections.Concurrent;
using Microsoft.Azure.Amqp;

namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>
/// The links replies go out on: a request-response client ($cbs, $management) attaches a receiver whose
/// target is the reply-to address of its requests (shared notes, fact 2).
/// </summary>
internal sealed class ReplyRouter
{
    readonly ConcurrentDictionary<string, SendingAmqpLink> links = new(StringComparer.Ordinal);

    public void Register(string replyTo, SendingAmqpLink link)
    {
        links[replyTo] = link;
        link.SafeAddClosed((_, _) => links.TryRemove(new KeyValuePair<string, SendingAmqpLink>(replyTo, link)));
    }

    /// <summary>Sends <paramref name="reply"/> to <paramref name="replyTo"/>; false when no such link is attached.</summary>
    public bool TrySend(string? replyTo, AmqpMessage reply)
    {
        if (replyTo is null || !links.TryGetValue(replyTo, out var link))
        {
            return false;
        }

        try
        {
            link.SendMessageNoWait(reply, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
            return true;
        }
        catch (Exception ex) when (ex is AmqpException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }
}
