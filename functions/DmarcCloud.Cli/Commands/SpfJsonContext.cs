using System.Text.Json.Serialization;

namespace DmarcCloud.Cli.Commands;

/// <summary>Source-generated (AOT-friendly) JSON for the spf command.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SpfJsonOutput))]
internal sealed partial class SpfJsonContext : JsonSerializerContext;
