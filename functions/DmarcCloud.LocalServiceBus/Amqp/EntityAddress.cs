namespace DmarcCloud.LocalServiceBus.Amqp;

/// <summary>A parsed link address: the kind and the queue name it concerns.</summary>
internal readonly record struct EntityAddress(EntityKind Kind, string QueueName, bool DeadLetter)
{
    const string DeadLetterSuffix = "/$deadletterqueue";
    const string ManagementSuffix = "/$management";

    public static EntityAddress Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return new EntityAddress(EntityKind.Unknown, string.Empty, false);
        }

        string path = address.Trim();
        if (Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" or "sb")
        {
            path = uri.AbsolutePath;
        }

        path = path.Trim('/');
        if (path.Equals("$cbs", StringComparison.OrdinalIgnoreCase))
        {
            return new EntityAddress(EntityKind.Cbs, string.Empty, false);
        }

        var kind = EntityKind.Queue;
        if (path.EndsWith(ManagementSuffix, StringComparison.OrdinalIgnoreCase))
        {
            kind = EntityKind.Management;
            path = path[..^ManagementSuffix.Length];
        }

        bool deadLetter = false;
        if (path.EndsWith(DeadLetterSuffix, StringComparison.OrdinalIgnoreCase))
        {
            deadLetter = true;
            path = path[..^DeadLetterSuffix.Length];
            if (kind == EntityKind.Queue)
            {
                kind = EntityKind.DeadLetterQueue;
            }
        }

        if (path.Contains("/subscriptions/", StringComparison.OrdinalIgnoreCase))
        {
            return new EntityAddress(EntityKind.Subscription, path, deadLetter);
        }

        return path.Length == 0 || path.Contains('/', StringComparison.Ordinal) || path.Contains('$', StringComparison.Ordinal)
            ? new EntityAddress(EntityKind.Unknown, path, deadLetter)
            : new EntityAddress(kind, path, deadLetter);
    }
}
