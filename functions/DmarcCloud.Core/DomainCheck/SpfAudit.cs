namespace DmarcCloud.Core.DomainCheck;

/// <summary>What the checker found about a domain's SPF record.</summary>
/// <param name="Record">The domain's SPF record as published, when there is exactly one.</param>
/// <param name="Tree">The record and everything it includes or redirects to.</param>
/// <param name="DnsLookups">DNS-querying terms over the whole tree (the limit is 10).</param>
/// <param name="VoidLookups">Void lookups over the whole tree (the limit is 2).</param>
/// <param name="AnswerBytes">The estimated size of the DNS message answering the domain's TXT question.</param>
/// <remarks>
/// RFC 7208 §4.6.4. The counts are the worst case: every term is evaluated, as for a sender that matches none.
/// </remarks>
public sealed record SpfAudit(string? Record, SpfTreeNode Tree, int DnsLookups, int VoidLookups, int AnswerBytes);
