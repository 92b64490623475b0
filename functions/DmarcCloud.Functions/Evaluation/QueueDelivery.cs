namespace DmarcCloud.Functions.Evaluation;

/// <summary>What the queue trigger tells about one delivery of an inbound event (its trigger metadata).</summary>
/// <param name="MessageId">The Storage queue message id.</param>
/// <param name="DequeueCount">1 on the first delivery.</param>
public sealed record QueueDelivery(string? MessageId, long DequeueCount)
{
    /// <summary>Reads <c>Id</c> and <c>DequeueCount</c> from the trigger's binding data (values arrive as strings or numbers).</summary>
    public static QueueDelivery From(IReadOnlyDictionary<string, object?> bindingData)
    {
        ArgumentNullException.ThrowIfNull(bindingData);
        var id = bindingData.TryGetValue("Id", out var idValue) ? idValue?.ToString()?.Trim('"') : null;
        var count = bindingData.TryGetValue("DequeueCount", out var countValue)
            && long.TryParse(countValue?.ToString()?.Trim('"'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
        return new QueueDelivery(string.IsNullOrEmpty(id) ? null : id, Math.Max(1, count));
    }
}
