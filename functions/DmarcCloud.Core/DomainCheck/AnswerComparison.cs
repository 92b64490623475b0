using DmarcCloud.Core.Dns;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>One question asked of two resolvers, side by side: where they differ, a change has not propagated.</summary>
/// <param name="Name">The name asked.</param>
/// <param name="Type">The record type asked.</param>
/// <param name="Primary">The answer of the resolver the check used.</param>
/// <param name="Secondary">The answer of the <c>--compare-with</c> resolver.</param>
/// <param name="Same">Both answers have the same status and records.</param>
public sealed record AnswerComparison(string Name, DnsRecordType Type, DnsAnswer Primary, DnsAnswer Secondary, bool Same);
