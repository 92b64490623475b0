using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;

namespace DmarcCloud.Core;

/// <summary>
/// The RFC token of a domain enum value (<c>softfail</c>, <c>temperror</c>, <c>sampled_out</c>, <c>treewalk</c>):
/// the one mapping used by the Authentication-Results writer, the aggregate-report XML writer, JSON and the CLI.
/// </summary>
/// <remarks>
/// Each token is written once, as <see cref="JsonStringEnumMemberNameAttribute"/> on the enum member, so that
/// System.Text.Json and every other writer agree by construction.
/// </remarks>
public static class RfcName
{
    /// <summary>The RFC token of <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        Table<TEnum>.Names.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name} has no RFC name for this value");

    /// <summary>
    /// Reads an RFC token (case-insensitive); the member name (<c>SoftFail</c>) and the token without
    /// underscores (<c>sampledout</c>) are accepted too.
    /// </summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        if (text is not null && Table<TEnum>.Values.TryGetValue(text, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static class Table<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names = Build();

        public static readonly FrozenDictionary<string, TEnum> Values = Names
            .SelectMany(kv => new[] { kv.Value, kv.Value.Replace("_", string.Empty, StringComparison.Ordinal), kv.Key.ToString() }
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(alias => KeyValuePair.Create(alias, kv.Key)))
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

        private static FrozenDictionary<TEnum, string> Build()
        {
            var names = new Dictionary<TEnum, string>();
            foreach (var field in typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var token = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{typeof(TEnum).Name}.{field.Name} has no [JsonStringEnumMemberName]");
                names[(TEnum)field.GetValue(null)!] = token;
            }

            return names.ToFrozenDictionary();
        }
    }
}
