using System.Diagnostics.CodeAnalysis;

namespace DmarcCloud.Core.Dkim;

/// <summary>The outcome of a pure DKIM parser: a value, or the reason the text is malformed.</summary>
/// <typeparam name="T">The parsed type.</typeparam>
/// <param name="Value">The parsed value, when <see cref="Success"/>.</param>
/// <param name="Error">Why parsing failed, when not <see cref="Success"/>.</param>
public sealed record DkimParseResult<T>(T? Value, string? Error)
    where T : class
{
    /// <summary>True when <see cref="Value"/> holds the parsed value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Value is not null;

    internal static DkimParseResult<T> Ok(T value) => new(value, null);

    internal static DkimParseResult<T> Fail(string error) => new(null, error);
}
