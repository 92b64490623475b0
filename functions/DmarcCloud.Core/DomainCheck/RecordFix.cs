using System.Text;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>A DNS record to publish: the fix a finding proposes, or a record the generator makes.</summary>
/// <param name="Name">The owner name, without the trailing dot (e.g. <c>_dmarc.example.com</c>).</param>
/// <param name="Type">The record type (always <c>TXT</c> today).</param>
/// <param name="Value">The record text, unquoted.</param>
/// <param name="Note">Who publishes it or what to adapt, when that is not the domain owner or not literal.</param>
/// <remarks>RFC 1035 §5.1 presentation format; TXT character-strings are at most 255 octets (§3.3.14).</remarks>
public sealed record RecordFix(string Name, string Type, string Value, string? Note = null)
{
    /// <summary>A TXT record at <paramref name="name"/>.</summary>
    public static RecordFix Txt(string name, string value, string? note = null) => new(name, "TXT", value, note);

    /// <summary>The record as a master-file line, TXT data split into quoted strings of at most 255 octets.</summary>
    public string ZoneLine => $"{Name}. IN {Type} {Quote(Value)}";

    private static string Quote(string value)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        var octets = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > 255)
            {
                parts.Add(sb.ToString());
                sb.Clear();
                octets = 0;
            }

            var text = rune.ToString();
            sb.Append(text is "\"" or "\\" ? "\\" + text : text);
            octets += size;
        }

        parts.Add(sb.ToString());
        return string.Join(' ', parts.Select(p => "\"" + p + "\""));
    }
}
