using System.Text.Json.Serialization;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>
/// Source-generated JSON of <see cref="DomainCheckReport"/> (the CLI's <c>check --json</c> and the API): camelCase
/// members, enums by lower-case name, nulls omitted. The schema is documented in docs/domain-tools.md.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    Converters =
    [
        typeof(RfcNameEnumConverter<FindingSeverity>),
        typeof(RfcNameEnumConverter<CheckArea>),
        typeof(KebabCaseEnumConverter<RolloutStage>),
        typeof(RfcNameEnumConverter<DmarcPolicy>),
        typeof(RfcNameEnumConverter<DmarcPolicyLookupStatus>),
        typeof(KebabCaseEnumConverter<DkimKeyLookupStatus>),
        typeof(RfcNameEnumConverter<DnsResultStatus>),
        typeof(RfcNameEnumConverter<DnsRecordType>),
    ])]
[JsonSerializable(typeof(DomainCheckReport))]
public sealed partial class DomainCheckJsonContext : JsonSerializerContext;
