using System.Text.Json.Serialization;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Evaluation;

/// <summary>
/// System.Text.Json source-generated serialization of <see cref="Verdict"/>: camelCase members, enums by their RFC
/// names, IP addresses as text, nulls omitted. The schema is documented in docs/verdict.md.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    Converters =
    [
        typeof(IPAddressJsonConverter),
        typeof(RfcNameEnumConverter<SpfResult>),
        typeof(RfcNameEnumConverter<SpfIdentity>),
        typeof(RfcNameEnumConverter<DkimResult>),
        typeof(RfcNameEnumConverter<ArcChainStatus>),
        typeof(RfcNameEnumConverter<DmarcResult>),
        typeof(RfcNameEnumConverter<DmarcPolicy>),
        typeof(RfcNameEnumConverter<Disposition>),
        typeof(RfcNameEnumConverter<AlignmentMode>),
        typeof(RfcNameEnumConverter<DiscoveryMethod>),
        typeof(RfcNameEnumConverter<PsdFlag>),
        typeof(RfcNameEnumConverter<PolicyOverrideType>),
        typeof(RfcNameEnumConverter<DnsResultStatus>),
        typeof(RfcNameEnumConverter<DnsRecordType>),
    ])]
[JsonSerializable(typeof(Verdict))]
public sealed partial class VerdictJsonContext : JsonSerializerContext;
