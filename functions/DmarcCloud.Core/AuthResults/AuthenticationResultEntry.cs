namespace DmarcCloud.Core.AuthResults;

/// <summary>One <c>resinfo</c> of an Authentication-Results payload: <c>method=result (comment) ptype.property=value …</c>.</summary>
/// <remarks>RFC 8601 §2.2.</remarks>
/// <param name="Method">The method, lower-case (<c>spf</c>, <c>dkim</c>, <c>dmarc</c>, <c>arc</c>, …).</param>
/// <param name="Result">The result, lower-case (<c>pass</c>, <c>fail</c>, …).</param>
/// <param name="Properties">
/// The properties keyed by lower-case <c>ptype.property</c> (e.g. <c>header.d</c>); values as written. The writer
/// emits them in the dictionary's enumeration order.
/// </param>
public sealed record AuthenticationResultEntry(string Method, string Result, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The comment after the result (RFC 8601 §2.2 <c>CFWS</c>), without parentheses; null when none.</summary>
    public string? Comment { get; init; }

    /// <summary>A property value, or null.</summary>
    public string? Property(string name) => Properties.GetValueOrDefault(name);
}
