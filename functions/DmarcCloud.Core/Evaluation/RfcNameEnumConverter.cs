using System.Text.Json;
using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Evaluation;

/// <summary>
/// Writes and reads enums by their RFC names (<see cref="RfcName"/>): <c>temperror</c>, <c>softfail</c>,
/// <c>treewalk</c>, <c>trusted_forwarder</c>.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class RfcNameEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RfcName.TryParse<TEnum>(reader.GetString(), out var value)
            ? value
            : throw new JsonException($"'{reader.GetString()}' is not a {typeof(TEnum).Name}");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(RfcName.Of(value));
    }
}
