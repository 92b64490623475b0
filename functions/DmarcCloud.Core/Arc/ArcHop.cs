namespace DmarcCloud.Core.Arc;

/// <summary>One ARC set (hop) as recorded on the message.</summary>
/// <param name="Instance">The <c>i=</c> instance, 1 for the oldest hop.</param>
/// <param name="SealDomain">The ARC-Seal <c>d=</c>: who sealed this hop.</param>
/// <param name="SealSelector">The ARC-Seal <c>s=</c>.</param>
/// <param name="AuthenticationResults">The ARC-Authentication-Results payload (after <c>i=n;</c>), as recorded by that hop.</param>
/// <param name="SealValid">The ARC-Seal of this hop validated.</param>
/// <param name="MessageSignatureValid">The ARC-Message-Signature of this hop validated.</param>
public sealed record ArcHop(
    int Instance,
    string SealDomain,
    string SealSelector,
    string AuthenticationResults,
    bool SealValid,
    bool MessageSignatureValid);
