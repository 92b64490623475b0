using System.Text.Json;
using System.Text.Json.Serialization;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Health;

namespace DmarcCloud.Functions;

/// <summary>Source-generated JSON for everything the handler writes (trim- and Native-AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(VerdictMessage))]
[JsonSerializable(typeof(HealthReport))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
