namespace DmarcCloud.Core.Spf;

/// <summary>The outcome of parsing an SPF record: the record, or why it is malformed.</summary>
/// <remarks>RFC 7208 §4.6: a syntax error anywhere in the record makes the check a permerror.</remarks>
public sealed record SpfRecordParseResult
{
    private SpfRecordParseResult(SpfRecord? record, string? error)
    {
        Record = record;
        Error = error;
    }

    /// <summary>The parsed record, when <see cref="Success"/>.</summary>
    public SpfRecord? Record { get; }

    /// <summary>What is wrong with the record, when not <see cref="Success"/>.</summary>
    public string? Error { get; }

    /// <summary>True when the record parsed.</summary>
    public bool Success => Record is not null;

    /// <summary>A parsed record.</summary>
    public static SpfRecordParseResult Parsed(SpfRecord record) => new(record, null);

    /// <summary>A malformed record.</summary>
    public static SpfRecordParseResult Malformed(string error) => new(null, error);
}
