using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dkim;

/// <summary>The result of verifying one DKIM signature.</summary>
/// <remarks>RFC 8601 §2.7.1 result names.</remarks>
public enum DkimResult
{
    /// <summary>The message was not signed.</summary>
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>The signature verified.</summary>
    [JsonStringEnumMemberName("pass")]
    Pass,

    /// <summary>The signature did not verify (bad hash or signature, revoked key, …).</summary>
    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>The signature could not be processed but is not known to be bad (e.g. unsupported algorithm).</summary>
    [JsonStringEnumMemberName("neutral")]
    Neutral,

    /// <summary>The signature verified but a local policy refused it (e.g. rsa-sha1, RFC 8301).</summary>
    [JsonStringEnumMemberName("policy")]
    Policy,

    /// <summary>A transient error, typically a DNS timeout fetching the key.</summary>
    [JsonStringEnumMemberName("temperror")]
    TempError,

    /// <summary>The signature or key record is malformed, or the key is missing.</summary>
    [JsonStringEnumMemberName("permerror")]
    PermError,
}
