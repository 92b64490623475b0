using System.Text.Json;
using Azure.Data.Tables;
using DmarcCloud.Azure;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The inbound path of the real app through the local host, Azurite and the local Service Bus: blob → Event
/// Grid emulation → Storage queue → EvaluateMessage (queue trigger) → Verdicts table + <c>verdicts</c> queue;
/// with the faults of issues 10 and 11. Every test counts only its own messages (the stack is shared).
/// </summary>
[Collection(ProductStackCollection.Name)]
public class InboundEndToEndTests(ProductStack stack)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Ten_samples_in_give_ten_verdict_rows_and_ten_verdict_messages()
    {
        var submitted = await stack.SubmitSamplesAsync(Today);
        Assert.Equal(10, submitted.Count);

        await WaitForVerdictsAsync(submitted.Keys);

        var rows = await OwnRowsAsync(submitted.Keys);
        Assert.Equal(submitted.Keys.Order(), rows.Select(r => r.GetString("MessageKey")).Order());
        foreach (var row in rows)
        {
            var sample = submitted[row.GetString("MessageKey")];
            Assert.Equal(sample.Envelope.ClientIp.ToString(), row.GetString("SourceIp"));
            if (sample.ExpectDmarc is { } dmarc)
            {
                Assert.True(string.Equals(dmarc, row.GetString("Result"), StringComparison.OrdinalIgnoreCase), $"{sample.File}: expected {dmarc}, stored {row.GetString("Result")}");
            }
        }

        var messages = await OwnVerdictMessagesAsync(submitted.Keys);
        Assert.Equal(submitted.Keys.Order(), messages.Select(Key).Order());
        foreach (var message in messages)
        {
            var sample = submitted[Key(message)];
            Assert.EndsWith(sample.File, message.GetProperty("blob").GetString(), StringComparison.Ordinal);
            if (sample.ExpectDmarc is { } dmarc)
            {
                Assert.Equal(dmarc, message.GetProperty("dmarc").GetString());
            }
        }
    }

    // Skipped, not passing: after the merges of 2026-12-01 every verdict row and message arrives, but the inbound queue
    // does not drain within 120 s once storage is back (EvaluateMessage keeps failing on "Broken pipe" through the
    // proxy). Open in issues 10/11; docs/local-runner.md "Known gaps".
    [Fact]
    public async Task A_storage_outage_for_the_worker_mid_run_ends_with_exactly_one_row_and_one_message_per_mail()
    {
        var listener = stack.Host.QueueListeners["EvaluateMessage"];
        var failedBefore = listener.Failed;
        SetWorkerStorage(enabled: false);
        Dictionary<string, SampleMessage> submitted;
        try
        {
            submitted = await stack.SubmitSamplesAsync(Today, take: 6);
            await stack.WaitUntilAsync(() => Task.FromResult(listener.Failed - failedBefore >= 6), "6 failed attempts while storage is unreachable");
        }
        finally
        {
            SetWorkerStorage(enabled: true);
        }

        await WaitForVerdictsAsync(submitted.Keys);
        await AssertExactlyOnceAsync(submitted.Keys);
    }

    [Fact]
    public async Task The_local_service_bus_stopped_and_restarted_mid_run_loses_and_doubles_nothing()
    {
        var listener = stack.Host.QueueListeners["EvaluateMessage"];
        var failedBefore = listener.Failed;
        await stack.StopBrokerAsync();
        Dictionary<string, SampleMessage> submitted;
        try
        {
            submitted = await stack.SubmitSamplesAsync(Today, take: 4);
            await stack.WaitUntilAsync(() => Task.FromResult(listener.Failed - failedBefore >= 4), "4 failed attempts while the broker is down");
        }
        finally
        {
            await stack.StartBrokerAsync();
        }

        await WaitForVerdictsAsync(submitted.Keys);
        await AssertExactlyOnceAsync(submitted.Keys);
    }

    [Fact]
    public async Task Azurite_stopped_mid_run_loses_and_doubles_nothing()
    {
        var invocations = stack.Host.Invocations;
        var submitted = await stack.SubmitSamplesAsync(Today, take: 5);
        await stack.WaitUntilAsync(() => Task.FromResult(stack.Host.Invocations > invocations), "the first invocation of the run");
        await stack.StopAzuriteAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stack.StartAzuriteAsync();

        await WaitForVerdictsAsync(submitted.Keys);
        await AssertExactlyOnceAsync(submitted.Keys);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_lands_in_the_poison_queue_and_in_processing_errors_with_its_reason()
    {
        await stack.StopBrokerAsync(); // every attempt fails sending its verdict message
        Dictionary<string, SampleMessage> submitted;
        try
        {
            submitted = await stack.SubmitSamplesAsync(Today, take: 1);
            var poison = stack.StorageQueue(ResourceNames.InboundEventsPoisonQueue);
            await stack.WaitUntilAsync(
                async () => await poison.ExistsAsync() && (await poison.PeekMessagesAsync(32)).Value.Any(m => m.MessageText.Contains(submitted.Values.Single().File, StringComparison.Ordinal)),
                "the event in inbound-events-poison");
        }
        finally
        {
            await stack.StartBrokerAsync();
        }

        var file = submitted.Values.Single().File;
        var errors = (await stack.RowsAsync(ResourceNames.ProcessingErrorsTable))
            .Where(r => Texts(r).Any(v => v.Contains(file, StringComparison.Ordinal)))
            .ToList();
        var error = Assert.Single(errors, e => Texts(e).Any(v => v.Contains("inbound-events-poison", StringComparison.Ordinal)));
        Assert.Contains(Texts(error), v => v.Contains("after 5 attempts", StringComparison.Ordinal));
        Assert.Contains(stack.Console, l => l.Contains("moved to inbound-events-poison", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Texts(TableEntity entity) => entity.Select(p => p.Value).OfType<string>();

    private static string Key(JsonElement message) => message.GetProperty("messageKey").GetString()!;

    private void SetWorkerStorage(bool enabled)
    {
        foreach (var proxy in stack.WorkerStorageProxies)
        {
            proxy.Enabled = enabled;
        }
    }

    private async Task WaitForVerdictsAsync(IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        await stack.WaitUntilAsync(
            async () => (await OwnRowsAsync(wanted)).Count >= wanted.Count && (await OwnVerdictMessagesAsync(wanted)).Count >= wanted.Count,
            $"{wanted.Count} verdict rows and {wanted.Count} verdict messages");
        string state = "not read yet";
        await stack.WaitUntilAsync(
            async () =>
            {
                state = await DrainStateAsync();
                // The inbound listener idle and its queue empty. Not the host's whole in-flight count: the report
                // drains run on 2-second timers and may always have one invocation waiting on an empty queue.
                return stack.Host.QueueListeners["EvaluateMessage"].Running == 0 && state.StartsWith("0 ", StringComparison.Ordinal);
            },
            "the inbound queue to drain",
            describe: () => $"last seen: {state}; running: [{string.Join(", ", stack.Host.RunningInvocations)}]");
    }

    private async Task<string> DrainStateAsync()
    {
        var queue = stack.StorageQueue(ResourceNames.InboundEventsQueue);
        try
        {
            var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            var visible = (await queue.PeekMessagesAsync(32)).Value;
            var listener = stack.Host.QueueListeners["EvaluateMessage"];
            return $"{count} message(s) in {queue.Name}, {visible.Length} visible (dequeue counts {string.Join(',', visible.Select(m => m.DequeueCount))}), listener running {listener.Running}, host in flight {stack.Host.InFlight}";
        }
        catch (global::Azure.RequestFailedException e)
        {
            return $"storage answered {e.Status} {e.ErrorCode}";
        }
    }

    private async Task AssertExactlyOnceAsync(IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a late duplicate would show now
        var rows = await OwnRowsAsync(wanted);
        Assert.Equal(wanted.Order(), rows.Select(r => r.GetString("MessageKey")).Order());
        var messages = await OwnVerdictMessagesAsync(wanted);
        Assert.Equal(wanted.Order(), messages.Select(Key).Order());
    }

    private async Task<List<TableEntity>> OwnRowsAsync(IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        return [.. (await stack.RowsAsync(ResourceNames.VerdictsTable)).Where(r => r.GetString("MessageKey") is { } k && wanted.Contains(k))];
    }

    private async Task<List<JsonElement>> OwnVerdictMessagesAsync(IEnumerable<string> keys)
    {
        var wanted = keys.ToHashSet(StringComparer.Ordinal);
        return [.. (await stack.PeekVerdictsAsync()).Where(m => wanted.Contains(Key(m)))];
    }
}
