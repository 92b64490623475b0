using System.Net;
using Azure.Data.Tables;
using DmarcCloud.OfflineDns;
using DmarcCloud.Testing;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;
using Microsoft.Extensions.Time.Testing;

namespace DmarcCloud.Azure.Tests.Reporting;

/// <summary>
/// The reporting services wired over Azurite (the real <see cref="TableVerdictStore"/>, ledger and report blobs),
/// a DNS zone and an SMTP sink, each test in its own tables and container.
/// </summary>
internal sealed class ReportingHarness
{
    public static readonly DateOnly Day = new(2026, 11, 20);

    public ReportingHarness(string connectionString, SmtpSink sink, Action<ReporterOptions>? configure = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        Options = new ReporterOptions
        {
            OrgName = "Example Receiver",
            Email = "dmarc-contact@receiver.example",
            FromAddress = "dmarc-reports@receiver.example",
            SmtpHost = "127.0.0.1",
            SmtpPort = sink.Port,
            SmtpSecurity = SmtpSecurityMode.None,
            MinimumSendInterval = TimeSpan.Zero,
        };
        configure?.Invoke(Options);
        var validation = new ReporterOptionsValidator().Validate(null, Options);
        Assert.True(validation.Succeeded, validation.FailureMessage);

        Clock = new FakeTimeProvider(new DateTimeOffset(Day.AddDays(1).ToDateTime(new TimeOnly(0, 0, 5)), TimeSpan.Zero));
        Store = new TableVerdictStore(new TableServiceClient(connectionString), new VerdictStoreOptions
        {
            TableName = "Verdicts" + suffix,
            DomainIndexTableName = "VerdictDomains" + suffix,
        });
        Ledger = new ReportLedger(new TableClient(connectionString, "ReportLedger" + suffix), TimeProvider.System);
        Blobs = new ReportBlobStore(new BlobContainerClient(connectionString, "reports-" + suffix));
        Zone = new DnsZone()
            .AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:dmarc@example.com")
            .AddTxt("ext.example._report._dmarc.vendor.example", "v=DMARC1")
            .AddTxt("*._report._dmarc.wild-vendor.example", "v=DMARC1");
        Verifier = new ExternalDestinationVerifier(Zone, new DmarcOrganizationalDomainResolver(Zone));
        Scheduler = new AggregateReportScheduler(Store, Ledger, Clock, Options);
        Processor = new AggregateReportJobProcessor(Store, Blobs, Ledger, Verifier, Options);
        Dispatcher = new ReportDispatcher(Blobs, Ledger, new ReportMessageFactory(Options, TimeProvider.System), new SmtpReportSender(Options), TimeProvider.System, Options);
    }

    public ReporterOptions Options { get; }

    public FakeTimeProvider Clock { get; }

    public TableVerdictStore Store { get; }

    public ReportLedger Ledger { get; }

    public ReportBlobStore Blobs { get; }

    public DnsZone Zone { get; }

    public ExternalDestinationVerifier Verifier { get; }

    public AggregateReportScheduler Scheduler { get; }

    public AggregateReportJobProcessor Processor { get; }

    public ReportDispatcher Dispatcher { get; }

    public async Task InitializeAsync()
    {
        await Ledger.CreateIfNotExistsAsync();
        await Blobs.CreateIfNotExistsAsync();
    }

    /// <summary>Stores verdict <paramref name="i"/> (see <see cref="Verdict"/>) as EvaluateMessage does, under message key <c>msg-i@policy-domain</c>.</summary>
    public Task SaveAsync(int i, PublishedPolicy policy, DateOnly? day = null, string? ip = null, bool pass = true) =>
        Store.SaveAsync($"msg-{i}@{policy.Domain}", Verdict(i, policy, day, ip, pass));

    /// <summary>Timer run → jobs → build → sends, as the three functions chain them. Returns the outbound messages and outcomes.</summary>
    public async Task<List<(OutboundReport Report, ReportDispatchResult Result)>> RunTimerAsync()
    {
        var sent = new List<(OutboundReport, ReportDispatchResult)>();
        var jobs = await Scheduler.ScheduleAsync();
        await Scheduler.MarkQueuedAsync(jobs);
        foreach (var job in jobs)
        {
            var built = await Processor.BuildAsync(job);
            foreach (var outbound in built.Outbound)
            {
                sent.Add((outbound, await Dispatcher.SendAsync(outbound)));
            }
        }

        return sent;
    }

    public static PublishedPolicy Policy(string domain, params string[] rua) =>
        new(domain, "v=DMARC1; p=reject; rua=" + string.Join(',', rua), DmarcPolicy.Reject, null, null, AlignmentMode.Relaxed, AlignmentMode.Relaxed,
            false, PsdFlag.Unspecified, null, null, rua, [], DiscoveryMethod.TreeWalk);

    /// <summary>An evaluated message from <paramref name="policy"/>'s domain: aligned DKIM and SPF pass, or both fail and reject.</summary>
    public static Verdict Verdict(int i, PublishedPolicy policy, DateOnly? day = null, string? ip = null, bool pass = true)
    {
        var receivedAt = new DateTimeOffset((day ?? Day).ToDateTime(new TimeOnly(i % 24, i % 60)), TimeSpan.Zero);
        return new Verdict
        {
            Envelope = new SmtpEnvelope(IPAddress.Parse(ip ?? $"198.51.100.{i % 5}"), "mx." + policy.Domain, "bounce@" + policy.Domain, ["postmaster@receiver.example"], receivedAt),
            EvaluatedAt = receivedAt.AddSeconds(1),
            HeaderFrom = policy.Domain,
            Spf = new SpfCheckResult(pass ? SpfResult.Pass : SpfResult.Fail, SpfIdentity.MailFrom, policy.Domain),
            Dkim = [new DkimSignatureResult(pass ? DkimResult.Pass : DkimResult.Fail, policy.Domain, "s" + (i % 2), "rsa-sha256")],
            Result = pass ? DmarcResult.Pass : DmarcResult.Fail,
            DkimAligned = pass,
            SpfAligned = pass,
            Policy = policy,
            OrganizationalDomain = policy.Domain,
            RequestedPolicy = pass ? null : DmarcPolicy.Reject,
            EffectivePolicy = pass ? null : DmarcPolicy.Reject,
            Disposition = pass ? Disposition.None : Disposition.Reject,
        };
    }
}
