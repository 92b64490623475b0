using System.Net;
using Azure.Messaging.ServiceBus;
using DmarcCloud.Azure;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Functions.Reporting;
using DmarcCloud.Testing;

namespace DmarcCloud.Functions.Tests.Reporting;

/// <summary>
/// ScheduleAggregateReports' work through the app's real DI registrations on Azurite: the ledger records a job
/// before its message is sent, so a run whose send fails must not lose the job.
/// </summary>
public class AggregateJobSchedulingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_run_whose_send_fails_after_the_ledger_recorded_the_job_has_it_sent_by_the_next_run_once()
    {
        var publisher = new RecordingPublisher { FailNext = 1 };
        await using var app = AppServices.Build(azurite.ConnectionString, publisher, settings: new Dictionary<string, string?>
        {
            ["Reporting:OrgName"] = "Scheduling test",
            ["Reporting:Email"] = "dmarc@receiver.example",
            ["Reporting:FromAddress"] = "dmarc@receiver.example",
            ["Reporting:SmtpHost"] = "127.0.0.1",
            ["Reporting:SmtpSecurity"] = "None",
        });
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var envelope = new SmtpEnvelope(IPAddress.Parse("198.51.100.7"), "mx.example.com", "bounce@example.com", ["postmaster@receiver.example"],
            new DateTimeOffset(yesterday.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        await app.GetRequiredService<IVerdictStore>().SaveAsync("scheduling-1", ScriptedVerdicts.Fail(envelope));
        var scheduling = app.GetRequiredService<AggregateJobScheduling>();

        // Run 1: the ledger records the job (and moves the watermark), then Service Bus is unreachable.
        await Assert.ThrowsAsync<ServiceBusException>(() => scheduling.ScheduleAsync(CancellationToken.None));
        Assert.Empty(publisher.On(ResourceNames.AggregateJobsQueue));

        // Run 2 sends it; run 3 sends nothing.
        Assert.Single(await scheduling.ScheduleAsync(CancellationToken.None));
        Assert.Empty(await scheduling.ScheduleAsync(CancellationToken.None));
        var sent = Assert.Single(publisher.On(ResourceNames.AggregateJobsQueue));
        Assert.Equal($"{yesterday:yyyy-MM-dd}/example.com", sent.MessageId);
    }
}
