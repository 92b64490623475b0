using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>samples/mail through the whole local pipeline: blob → Event Grid emulation → runner → real handler → Verdicts + verdicts queue.</summary>
[Collection(EndToEndCollection.Name)]
public class SamplesEndToEndTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_sample_message_in_gives_one_verdict_row_and_one_verdict_message_with_the_expected_dmarc_result()
    {
        await using var pipeline = await PipelineHarness.StartAsync(azurite, emulateBlobEvents: true);
        var samples = SampleMessage.ReadManifest();
        var expected = new Dictionary<string, SampleMessage>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var blob = await pipeline.SubmitAsync(sample.File, sample.Content, sample.Envelope);
            var etag = (await blob.GetPropertiesAsync()).Value.ETag.ToString();
            expected[MessageKey(blob.BlobContainerName, blob.Name, etag)] = sample;
        }

        var n = samples.Count;
        Assert.True(n >= 10, $"the manifest lists {n} messages");
        await pipeline.WaitUntilAsync(
            async () => (await pipeline.RowsAsync(PipelineHarness.VerdictsTable)).Count >= n && await pipeline.CountAsync(PipelineHarness.VerdictsQueue) >= n,
            $"{n} verdict rows in {PipelineHarness.VerdictsTable} and {n} messages on {PipelineHarness.VerdictsQueue}");
        await pipeline.WaitIdleAsync("the inbound queue to drain");

        var rows = await pipeline.RowsAsync(PipelineHarness.VerdictsTable);
        Assert.Equal(n, rows.Count);
        Assert.Equal(expected.Keys.Order(), rows.Select(r => r.RowKey).Order());
        foreach (var row in rows)
        {
            var sample = expected[row.RowKey];
            Assert.Equal(row.RowKey, row.GetString("MessageKey"));
            Assert.Equal(sample.Envelope.ClientIp.ToString(), row.GetString("SourceIp"));
            if (sample.ExpectDmarc is { } dmarc)
            {
                Assert.True(string.Equals(dmarc, row.GetString("Result"), StringComparison.OrdinalIgnoreCase),
                    $"{sample.File}: expected dmarc={dmarc}, stored Result={row.GetString("Result")}");
            }
        }

        var messages = await pipeline.PeekAllAsync(PipelineHarness.VerdictsQueue);
        Assert.Equal(n, messages.Count);
        var byKey = messages.Select(m => JsonNode.Parse(m.BodyText)!).ToDictionary(m => m["messageKey"]!.GetValue<string>(), StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(), byKey.Keys.Order());
        foreach (var (key, sample) in expected)
        {
            var message = byKey[key];
            Assert.EndsWith(sample.File, message["blob"]!.GetValue<string>(), StringComparison.Ordinal);
            if (sample.ExpectDmarc is { } dmarc)
            {
                Assert.Equal(dmarc, message["dmarc"]!.GetValue<string>());
            }
        }

        Assert.Equal(0, await pipeline.CountAsync(DmarcCloud.Azure.Messaging.LocalServiceBusEnvelope.DeadLetterQueueName(PipelineHarness.InboundQueue)));
        Assert.Equal(n, pipeline.Host.BlobEvents!.Announced);
        Assert.Empty(await pipeline.RowsAsync(PipelineHarness.ErrorsTable));
    }

    /// <summary>The message key as docs/inbound.md defines it: 128-bit hex of SHA-256("container/name\netag").</summary>
    private static string MessageKey(string container, string name, string etag) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container}/{name}\n{etag.Trim('"')}")).AsSpan(0, 16));
}
