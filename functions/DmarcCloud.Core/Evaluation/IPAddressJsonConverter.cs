using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Evaluation;

/// <summary>Writes an <see cref="IPAddress"/> as its text form (<c>192.0.2.1</c>, <c>2001:db8::1</c>).</summary>
public sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    /// <inheritdoc />
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IPAddress.TryParse(reader.GetString(), out var address) ? address : throw new JsonException("invalid IP address");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
