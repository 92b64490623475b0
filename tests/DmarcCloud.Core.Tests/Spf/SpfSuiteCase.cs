using System.Net;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.Spf;

/// <summary>One test of an OpenSPF suite, with its scenario's zone.</summary>
internal sealed record SpfSuiteCase(
    string Name,
    string Scenario,
    string Spec,
    IPAddress Host,
    string MailFrom,
    string Helo,
    IReadOnlyList<SpfResult> Results,
    string? Explanation,
    DnsZone Zone);
