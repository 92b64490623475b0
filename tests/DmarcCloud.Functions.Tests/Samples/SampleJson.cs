using System.Text.Json;

namespace DmarcCloud.Functions.Tests.Samples;

/// <summary>JSON settings of samples/mail/manifest.json (camelCase, indented).</summary>
internal static class SampleJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
