using DmarcCloud.Functions.Evaluation;

namespace DmarcCloud.Functions.Tests.EvaluateMessage;

public class QueueDeliveryTests
{
    [Theory]
    [InlineData("abc", "3", "abc", 3L)]
    [InlineData("\"abc\"", "\"2\"", "abc", 2L)]
    [InlineData(null, null, null, 1L)]
    [InlineData("id", "not a number", "id", 1L)]
    [InlineData("id", "0", "id", 1L)]
    public void Trigger_metadata_gives_the_message_id_and_dequeue_count(string? id, string? count, string? expectedId, long expectedCount)
    {
        var data = new Dictionary<string, object?>();
        if (id is not null)
        {
            data["Id"] = id;
        }

        if (count is not null)
        {
            data["DequeueCount"] = count;
        }

        var delivery = QueueDelivery.From(data);

        Assert.Equal(expectedId, delivery.MessageId);
        Assert.Equal(expectedCount, delivery.DequeueCount);
    }

    [Fact]
    public void A_numeric_dequeue_count_is_read_too() =>
        Assert.Equal(4L, QueueDelivery.From(new Dictionary<string, object?> { ["DequeueCount"] = 4L }).DequeueCount);
}
