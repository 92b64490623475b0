using System.Net;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Inbound;
using DmarcCloud.Testing;

namespace DmarcCloud.Cli.Tests.Commands;

public class SubmitCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Submit_uploads_the_message_with_its_envelope_in_blob_metadata()
    {
        var file = RepositoryPaths.Combine("samples", "mail", "01-pass-aligned.eml");
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(
            ["submit", file, "--client-ip", "192.0.2.25", "--helo", "mail.sender.example", "--mail-from", "bounce@sender.example",
             "--rcpt-to", "a@receiver.example, b@receiver.example", "--received-at", "2026-11-22T09:00:00Z", "--authenticated",
             "--connection-string", azurite.ConnectionString],
            output, TextWriter.Null);

        Assert.Equal(0, exit);
        var path = output.ToString().Trim();
        Assert.StartsWith("inbound/2026/11/22/", path, StringComparison.Ordinal);
        var blob = new BlobContainerClient(azurite.ConnectionString, "inbound").GetBlobClient(path["inbound/".Length..]);
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(await File.ReadAllBytesAsync(file), (await blob.DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal("message/rfc822", properties.ContentType);
        var envelope = InboundMetadata.TryParse(properties.Metadata, properties.CreatedOn, out var error);
        Assert.Null(error);
        Assert.Equal(IPAddress.Parse("192.0.2.25"), envelope!.ClientIp);
        Assert.Equal("mail.sender.example", envelope.Helo);
        Assert.Equal("bounce@sender.example", envelope.MailFrom);
        Assert.Equal(["a@receiver.example", "b@receiver.example"], envelope.RcptTo);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero), envelope.ReceivedAt);
        Assert.True(envelope.Authenticated);
    }

    [Fact]
    public async Task Submit_with_a_manifest_uploads_every_sample()
    {
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(["submit", "--manifest", RepositoryPaths.Combine("samples", "mail", "manifest.json"), "--connection-string", azurite.ConnectionString], output, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Equal(10, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Submit_with_a_received_date_moves_every_sample_to_that_day_keeping_its_time()
    {
        var output = new StringWriter();

        var exit = await CliApp.RunAsync(
            ["submit", "--manifest", RepositoryPaths.Combine("samples", "mail", "manifest.json"), "--received-date", "2026-10-05", "--connection-string", azurite.ConnectionString],
            output, TextWriter.Null);

        Assert.Equal(0, exit);
        var container = new BlobContainerClient(azurite.ConnectionString, "inbound");
        var times = new List<DateTimeOffset>();
        foreach (var path in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var properties = (await container.GetBlobClient(path["inbound/".Length..]).GetPropertiesAsync()).Value;
            times.Add(InboundMetadata.TryParse(properties.Metadata, properties.CreatedOn, out _)!.ReceivedAt);
        }

        Assert.Equal(10, times.Count);
        Assert.All(times, t => Assert.Equal(new DateOnly(2026, 10, 5), DateOnly.FromDateTime(t.UtcDateTime)));
        Assert.Contains(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero), times); // 01-pass-aligned is 09:00 in the manifest
    }

    [Theory]
    [InlineData("--manifest|m.json|--received-date|yesterday", "--received-date: 'yesterday' is not a yyyy-mm-dd date")]
    [InlineData("--helo|x", "--client-ip is required")]
    [InlineData("--client-ip|not-ip", "--client-ip: 'not-ip' is not an IP address")]
    [InlineData("--client-ip|192.0.2.1|--received-at|soon", "--received-at: 'soon' is not an ISO 8601 time")]
    [InlineData("--client-ip|192.0.2.1|--bogus|1", "unknown option --bogus")]
    public async Task Bad_arguments_are_usage_errors(string args, string message)
    {
        var error = new StringWriter();

        var exit = await CliApp.RunAsync(["submit", "message.eml", .. args.Split('|')], TextWriter.Null, error);

        Assert.Equal(2, exit);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }
}
