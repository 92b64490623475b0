using System.Text.Json.Serialization;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Azure.Storage;

/// <summary>Source-generated JSON for the list and record columns of the verdict table (trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<DkimSignatureResult>))]
[JsonSerializable(typeof(List<PolicyOverrideReason>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(SpfCheckResult))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
