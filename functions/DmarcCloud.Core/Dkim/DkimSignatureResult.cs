namespace DmarcCloud.Core.Dkim;

/// <summary>The verification result of one DKIM-Signature header field.</summary>
/// <param name="Result">The result.</param>
/// <param name="Domain">The <c>d=</c> tag (lower-case), or empty when the signature could not be parsed.</param>
/// <param name="Selector">The <c>s=</c> tag, or empty.</param>
/// <param name="Algorithm">The <c>a=</c> tag, e.g. <c>rsa-sha256</c>, or empty.</param>
/// <param name="Reason">Why the result was reached, in words (for Authentication-Results comments and logs).</param>
/// <param name="Identity">The <c>i=</c> tag, if present.</param>
/// <param name="SignatureBPrefix">The first characters of <c>b=</c>, for Authentication-Results <c>header.b</c> (RFC 6008).</param>
/// <param name="KeyTesting">The key record carries <c>t=y</c>: the domain is testing DKIM (RFC 6376 §3.6.1).</param>
/// <param name="BodyLengthLimited">The signature has <c>l=</c> and the body holds content the signature does not cover.</param>
/// <param name="KeyBits">Size of the public key in bits, when known.</param>
public sealed record DkimSignatureResult(
    DkimResult Result,
    string Domain,
    string Selector,
    string Algorithm,
    string? Reason = null,
    string? Identity = null,
    string? SignatureBPrefix = null,
    bool KeyTesting = false,
    bool BodyLengthLimited = false,
    int? KeyBits = null);
