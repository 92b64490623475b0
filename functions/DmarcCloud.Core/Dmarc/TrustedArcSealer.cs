namespace DmarcCloud.Core.Dmarc;

/// <summary>An ARC sealer (a forwarder or mailing list) whose recorded upstream results the receiver trusts.</summary>
/// <remarks>RFC 8617 §7.2 and RFC 9989 §7.4: local policy may use a trusted intermediary's ARC results.</remarks>
/// <param name="Domain">The ARC-Seal <c>d=</c> domain (its subdomains match too).</param>
/// <param name="Reason">The override reason a rescue reports: <see cref="PolicyOverrideType.TrustedForwarder"/> or <see cref="PolicyOverrideType.MailingList"/>.</param>
public sealed record TrustedArcSealer(string Domain, PolicyOverrideType Reason = PolicyOverrideType.TrustedForwarder);
