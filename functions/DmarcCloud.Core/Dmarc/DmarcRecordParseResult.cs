namespace DmarcCloud.Core.Dmarc;

/// <summary>The outcome of parsing one TXT record as a DMARC record: never an exception, always a value.</summary>
/// <remarks>
/// RFC 9989 §4.7 and §4.8: a record that does not start with <c>v=DMARC1</c> is not a DMARC record and is
/// discarded during discovery. A DMARC record whose <c>p</c>, <c>sp</c> or <c>np</c> is invalid is used as
/// <c>p=none</c> when it has a valid <c>rua</c>, and not used at all otherwise.
/// </remarks>
/// <param name="IsDmarcRecord">The text starts with <c>v=DMARC1</c> (it counts as a DMARC record for discovery).</param>
/// <param name="IsUsable">The record can be applied (DMARC evaluation goes on with <see cref="Record"/>).</param>
/// <param name="Record">The parsed record when <paramref name="IsDmarcRecord"/>, usable or not.</param>
/// <param name="Warnings">Problems that were tolerated (ignored terms, invalid optional values, historic tags).</param>
/// <param name="Errors">Problems that make the record unusable or change its meaning (invalid policy, no version).</param>
public sealed record DmarcRecordParseResult(
    bool IsDmarcRecord,
    bool IsUsable,
    DmarcRecord? Record,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors);
