using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Azure.Messaging;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.Reporting;

namespace DmarcCloud.Functions.Tests.Reporting;

/// <summary>The drain handlers map bad messages to an immediate dead-letter with a reason (never retried).</summary>
public class ReportingHandlerTests
{
    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"day\":\"not a day\",\"policyDomain\":\"example.com\"}")]
    [InlineData("[1,2]")]
    public async Task A_body_that_is_not_a_job_is_dead_lettered_at_once(string body)
    {
        var handler = new AggregateJobHandler(null!, new RecordingPublisher());

        var outcome = await handler.HandleAsync(Received(body));

        Assert.Equal(ServiceBusSettlement.DeadLetter, outcome.Settlement);
        Assert.Equal("NotAnAggregateReportJob", outcome.Reason);
        Assert.Equal(ResourceNames.AggregateJobsQueue, handler.QueueName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"reportId\":1}")]
    [InlineData("\"\\ud800\"")]
    public async Task A_body_that_is_not_an_outbound_report_is_dead_lettered_at_once(string body)
    {
        var handler = new OutboundReportHandler(null!);

        var outcome = await handler.HandleAsync(Received(body));

        Assert.Equal(ServiceBusSettlement.DeadLetter, outcome.Settlement);
        Assert.Equal("NotAnOutboundReport", outcome.Reason);
        Assert.Equal(ResourceNames.OutboundReportsQueue, handler.QueueName);
    }

    [Fact]
    public void Message_ids_name_what_the_message_is_about_and_fit_service_bus()
    {
        var report = new OutboundReport("r1", "example.com", new DateOnly(2026, 11, 22), "b", "f", "mailto:a@example.net", 1, 1);
        Assert.Equal("r1|mailto:a@example.net", OutboundReportHandler.MessageId(report));
        Assert.True(OutboundReportHandler.MessageId(report with { Destination = new string('x', 200) }).Length <= 128);
        Assert.Equal("2026-11-22/example.com", AggregateJobScheduling.MessageId(new AggregateReportJob(new DateOnly(2026, 11, 22), "example.com")));
    }

    private static ServiceBusReceivedMessage Received(string body) =>
        ServiceBusModelFactory.ServiceBusReceivedMessage(BinaryData.FromString(body), messageId: "m-1", deliveryCount: 1);
}
