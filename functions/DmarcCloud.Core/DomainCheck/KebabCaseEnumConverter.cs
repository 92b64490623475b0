using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>Writes enum members as lower-case kebab-case (<c>QuarantineTesting</c> → <c>quarantine-testing</c>); reads both forms.</summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class KebabCaseEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>The kebab-case name of <paramref name="value"/>.</summary>
    public static string NameOf(TEnum value)
    {
        var name = value.ToString();
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                sb.Append('-');
            }

            sb.Append(char.ToLowerInvariant(name[i]));
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()?.Replace("-", string.Empty, StringComparison.Ordinal);
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
