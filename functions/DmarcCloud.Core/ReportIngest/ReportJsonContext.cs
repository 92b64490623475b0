using System.Text.Json.Serialization;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Source-generated JSON of received reports: camelCase names mirroring the XML elements and ARF fields, nulls
/// omitted, dates in Unix seconds. This is the <c>dmarccloud ingest --json</c> shape and the API's report shape.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(AggregateReport))]
[JsonSerializable(typeof(AggregateRecord))]
[JsonSerializable(typeof(FailureReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
