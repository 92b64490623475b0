using System.Net;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Azure.Tests.Storage;

/// <summary>Verdicts as the evaluator produces them, for storage tests (the store only maps fields).</summary>
internal static class SampleVerdicts
{
    public static Verdict WithPolicy(string policyDomain, DateTimeOffset receivedAt, DmarcResult result = DmarcResult.Pass, string clientIp = "192.0.2.10")
    {
        var policy = new PublishedPolicy(policyDomain, $"v=DMARC1; p=reject; rua=mailto:rua@{policyDomain}", DmarcPolicy.Reject, DmarcPolicy.Quarantine, null,
            AlignmentMode.Relaxed, AlignmentMode.Strict, false, PsdFlag.Unspecified, null, "1:d", [$"mailto:rua@{policyDomain}"], [$"mailto:ruf@{policyDomain}"], DiscoveryMethod.TreeWalk);
        return new Verdict
        {
            Envelope = new SmtpEnvelope(IPAddress.Parse(clientIp), "mx.sender.example", $"bounce@mail.{policyDomain}", ["user@receiver.example"], receivedAt),
            EvaluatedAt = receivedAt.AddSeconds(1),
            HeaderFrom = policyDomain,
            Spf = new SpfCheckResult(SpfResult.Pass, SpfIdentity.MailFrom, $"mail.{policyDomain}", Mechanism: "ip4:192.0.2.0/24", DnsLookups: 1),
            Dkim = [new DkimSignatureResult(DkimResult.Pass, policyDomain, "s1", "rsa-sha256", KeyBits: 2048), new DkimSignatureResult(DkimResult.Fail, "list.example", "k", "rsa-sha256", "body hash did not verify")],
            Result = result,
            DkimAligned = result == DmarcResult.Pass,
            SpfAligned = false,
            Policy = policy,
            OrganizationalDomain = policyDomain,
            RequestedPolicy = result == DmarcResult.Fail ? DmarcPolicy.Reject : null,
            Disposition = result == DmarcResult.Fail ? Disposition.Quarantine : Disposition.None,
            Overrides = result == DmarcResult.Fail ? [new PolicyOverrideReason(PolicyOverrideType.MailingList, "list.example")] : [],
            AuthenticationResults = $"Authentication-Results: mx.receiver.example; dmarc={result.ToString().ToLowerInvariant()} header.from={policyDomain}",
        };
    }

    public static Verdict WithoutPolicy(DateTimeOffset receivedAt) => new()
    {
        Envelope = new SmtpEnvelope(IPAddress.Parse("198.51.100.7"), null, null, [], receivedAt),
        EvaluatedAt = receivedAt,
        HeaderFromProblem = "no From header field",
        Result = DmarcResult.PermError,
        AuthenticationResults = "Authentication-Results: mx.receiver.example; dmarc=permerror",
    };
}
