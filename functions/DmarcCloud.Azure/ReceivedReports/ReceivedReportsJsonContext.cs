using System.Text.Json.Serialization;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>Source-generated JSON of the received-report API models (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(IReadOnlyList<DomainListItem>))]
[JsonSerializable(typeof(DomainSummary))]
[JsonSerializable(typeof(IReadOnlyList<SourceSummary>))]
[JsonSerializable(typeof(IReadOnlyList<ReporterSummary>))]
[JsonSerializable(typeof(IReadOnlyList<ReportListItem>))]
[JsonSerializable(typeof(StoredReport))]
[JsonSerializable(typeof(IReadOnlyList<FailureReportItem>))]
[JsonSerializable(typeof(ApiError))]
public sealed partial class ReceivedReportsJsonContext : JsonSerializerContext;
