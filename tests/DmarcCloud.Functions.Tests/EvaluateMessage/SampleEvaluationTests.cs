using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Tests.Samples;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.EvaluateMessage;

/// <summary>
/// The app as configured for the demo — the real MessageEvaluator over the offline zone samples/dns/demo.zone —
/// evaluates every sample message to the DMARC result its manifest states, and stores it.
/// </summary>
public class SampleEvaluationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    public static TheoryData<string> Files() => [.. SampleMailTests.Manifest().Select(s => s.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_sample_gets_the_dmarc_result_its_manifest_states(string file)
    {
        var sample = SampleMailTests.Manifest().Single(s => s.File == file);
        var container = new BlobContainerClient(azurite.ConnectionString, InboundMetadata.Container);
        await container.CreateIfNotExistsAsync();
        var blobName = "samples/" + file;
        var blob = container.GetBlobClient(blobName);
        await blob.UploadAsync(RepositoryPaths.Combine("samples", "mail", file), overwrite: true);
        await blob.SetMetadataAsync(InboundMetadata.ToMetadata(new SmtpEnvelope(
            IPAddress.Parse(sample.ClientIp), sample.Helo, sample.MailFrom, sample.RcptTo, sample.ReceivedAt)));
        var publisher = new RecordingPublisher();
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, settings: new Dictionary<string, string?>
        {
            ["Dns:ZoneFile"] = RepositoryPaths.Combine("samples", "dns", "demo.zone"),
            ["Evaluation:AuthServId"] = "mx.receiver.example",
        });

        var outcome = await app.GetRequiredService<InboundMessageProcessor>().ProcessAsync(InboundEvents.BlobCreated(blobName), new QueueDelivery("sample-" + file, 1));

        Assert.Equal(InboundOutcomeStatus.Evaluated, outcome.Status);
        var verdict = JsonDocument.Parse(Assert.Single(publisher.On(DmarcCloud.Azure.ResourceNames.VerdictsQueue)).Body.ToString()).RootElement;
        Assert.Equal(sample.ExpectDmarc, verdict.GetProperty("dmarc").GetString());
        Assert.StartsWith("Authentication-Results: mx.receiver.example;", verdict.GetProperty("authenticationResults").GetString(), StringComparison.Ordinal);
        var key = verdict.GetProperty("messageKey").GetString()!;
        var row = Assert.Single(await new TableClient(azurite.ConnectionString, "Verdicts").QueryAsync<TableEntity>(e => e.RowKey == key).ToListAsync());
        Assert.Equal(sample.ExpectDmarc is "pass" or "fail", row.GetBoolean("Reportable"));
    }
}
