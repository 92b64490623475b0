namespace DmarcCloud.Core.Dns;

/// <summary>One TXT resource record: its character-strings as published.</summary>
/// <remarks>
/// RFC 7208 §3.3 and RFC 6376 §3.6.2.2: a record made of several character-strings is read as
/// their concatenation with no separator. The strings are kept so that tools can show the record as published.
/// </remarks>
public sealed record TxtRecord(IReadOnlyList<string> Strings)
{
    /// <summary>A record of one character-string.</summary>
    public TxtRecord(string text)
        : this([text])
    {
    }

    /// <summary>The character-strings joined with no separator.</summary>
    public string Text => Strings.Count == 1 ? Strings[0] : string.Concat(Strings);

    /// <inheritdoc />
    public override string ToString() => Text;

    /// <inheritdoc />
    public bool Equals(TxtRecord? other) => other is not null && Strings.SequenceEqual(other.Strings);

    /// <inheritdoc />
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);
}
