using MimeKit;

namespace DmarcCloud.Core.Reporting.Failure;

/// <summary>One failure report message for one destination, ready to sign and send.</summary>
/// <param name="Destination">The mailbox it goes to.</param>
/// <param name="Message">The RFC 5965 <c>multipart/report</c> message (not yet DKIM-signed).</param>
/// <param name="AuthFailure">The <c>Auth-Failure</c> value (<c>dmarc</c>, <c>signature</c>, <c>bodyhash</c>, <c>spf</c>, …).</param>
/// <param name="BodyIncluded">The third part is the whole message (<c>message/rfc822</c>), not only its header fields.</param>
/// <param name="Size">The size of the message in bytes as it will be sent (before signing).</param>
/// <param name="Notes">What was left out to respect the size cap, if anything.</param>
public sealed record FailureReport(string Destination, MimeMessage Message, string AuthFailure, bool BodyIncluded, long Size, IReadOnlyList<string> Notes);
