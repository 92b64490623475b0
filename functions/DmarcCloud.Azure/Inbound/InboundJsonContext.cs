using System.Text.Json.Serialization;

namespace DmarcCloud.Azure.Inbound;

/// <summary>Source-generated JSON for the inbound contract.</summary>
[JsonSerializable(typeof(List<string>))]
internal sealed partial class InboundJsonContext : JsonSerializerContext;
