namespace DmarcCloud.Azure.Messaging;

/// <summary>What one drain run did.</summary>
/// <param name="Queue">The queue drained.</param>
/// <param name="Completed">Messages completed.</param>
/// <param name="Abandoned">Messages abandoned for a retry.</param>
/// <param name="DeadLettered">Messages dead-lettered.</param>
/// <param name="BudgetExhausted">Whether the run stopped on its time budget rather than on an empty queue.</param>
public sealed record ServiceBusDrainSummary(string Queue, int Completed, int Abandoned, int DeadLettered, bool BudgetExhausted)
{
    /// <summary>Messages received.</summary>
    public int Received => Completed + Abandoned + DeadLettered;
}
