using System.Text.Json.Serialization;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.DomainTools;

/// <summary>
/// Source-generated JSON of the domain-tools API's advice and simulation answers: the same shapes and enum names as
/// the CLI's <c>advise --json</c> (<see cref="RolloutJsonContext"/>), camelCase, nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(KebabCaseEnumConverter<RolloutStage>),
        typeof(KebabCaseEnumConverter<RolloutDecision>),
        typeof(KebabCaseEnumConverter<SourceClass>),
        typeof(RfcNameEnumConverter<DmarcPolicy>),
        typeof(RfcNameEnumConverter<DmarcPolicyLookupStatus>),
    ])]
[JsonSerializable(typeof(DomainAdvice))]
[JsonSerializable(typeof(DomainSimulation))]
public sealed partial class DomainToolsJsonContext : JsonSerializerContext;
