using System.Text.Json.Serialization;
using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Azure.Reporting;

/// <summary>Source-generated JSON for the reporting queue messages (camelCase, AOT-friendly).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AggregateReportJob))]
[JsonSerializable(typeof(OutboundReport))]
public sealed partial class ReportingJsonContext : JsonSerializerContext
{
}
