namespace DmarcCloud.Core.Dmarc;

/// <summary>One reason the disposition differs from the published policy, with a comment.</summary>
/// <param name="Type">The reason.</param>
/// <param name="Comment">Free text for the report's <c>comment</c>, e.g. the trusted sealer's domain.</param>
public sealed record PolicyOverrideReason(PolicyOverrideType Type, string? Comment = null);
