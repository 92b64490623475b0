using System.Text.Json.Serialization;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.DomainCheck;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Core.Rollout;

/// <summary>
/// Source-generated JSON of <see cref="RolloutAdvice"/> (the CLI's <c>advise --json</c>): camelCase members, enums by
/// lower-case (kebab-case) name, nulls omitted. The schema is documented in docs/domain-tools.md.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    Converters =
    [
        typeof(KebabCaseEnumConverter<RolloutStage>),
        typeof(KebabCaseEnumConverter<RolloutDecision>),
        typeof(KebabCaseEnumConverter<SourceClass>),
        typeof(RfcNameEnumConverter<DmarcPolicy>),
    ])]
[JsonSerializable(typeof(RolloutAdvice))]
public sealed partial class RolloutJsonContext : JsonSerializerContext;
