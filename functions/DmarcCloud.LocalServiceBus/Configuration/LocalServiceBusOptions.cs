namespace DmarcCloud.LocalServiceBus.Configuration;

/// <summary>What <see cref="LocalServiceBusBroker.StartAsync"/> needs: the queues, the port and where to keep messages.</summary>
public sealed class LocalServiceBusOptions
{
    /// <summary>The TCP port on 127.0.0.1; 0 picks a free one (read it back from <see cref="LocalServiceBusBroker.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>
    /// The folder of the queue journals. Messages survive a restart on the same folder. Null: memory only.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The queues to serve (each with its dead-letter queue).</summary>
    public IList<QueueOptions> Queues { get; } = new List<QueueOptions>();

    /// <summary>The clock for enqueue times, locks, TTL and scheduling.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How often locks, scheduled messages and TTL are checked. Lock expiry and schedules are late by at
    /// most this much.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Where the broker reports faults it survives (a journal write that failed, a sweep that threw). Null: nowhere.</summary>
    public TextWriter? Log { get; set; }

    /// <summary>Adds a queue with Service Bus defaults, then lets <paramref name="configure"/> change it.</summary>
    public LocalServiceBusOptions AddQueue(string name, Action<QueueOptions>? configure = null)
    {
        var queue = new QueueOptions(name);
        configure?.Invoke(queue);
        Queues.Add(queue);
        return this;
    }

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(Port), Port, "Port must be 0..65535.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var queue in Queues)
        {
            queue.Validate();
            if (!names.Add(queue.Name))
            {
                throw new ArgumentException($"Queue '{queue.Name}' is configured twice.", nameof(Queues));
            }
        }
    }
}
