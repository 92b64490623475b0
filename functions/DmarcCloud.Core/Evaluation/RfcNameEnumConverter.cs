using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Evaluation;

/// <summary>
/// Writes enums by their RFC names: lower-case (<c>temperror</c>, <c>softfail</c>, <c>treewalk</c>), or lower-case
/// snake_case for RFC 9990 override reasons (<c>trusted_forwarder</c>, <c>policy_test_mode</c>). Reads both forms.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class RfcNameEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly bool SnakeCase = typeof(TEnum) == typeof(Dmarc.PolicyOverrideType);

    /// <summary>The RFC name of <paramref name="value"/>.</summary>
    public static string NameOf(TEnum value)
    {
        var name = value.ToString();
        if (!SnakeCase)
        {
            return name.ToLowerInvariant();
        }

        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()?.Replace("_", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse<TEnum>(text, ignoreCase: true, out var value)
            ? value
            : throw new JsonException($"'{reader.GetString()}' is not a {typeof(TEnum).Name}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(NameOf(value));
    }
}
