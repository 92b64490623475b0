using System.Text.Json.Serialization;

namespace DmarcCloud.Core.Dmarc;

/// <summary>Why the applied disposition differs from the published policy.</summary>
/// <remarks>RFC 9990 <c>PolicyOverrideType</c>.</remarks>
public enum PolicyOverrideType
{
    /// <summary>The message was forwarded (<c>forwarded</c>).</summary>
    [JsonStringEnumMemberName("forwarded")]
    Forwarded,

    /// <summary>Excluded by <c>pct</c> sampling, RFC 7489 mode only (<c>sampled_out</c>).</summary>
    [JsonStringEnumMemberName("sampled_out")]
    SampledOut,

    /// <summary>A trusted forwarder's ARC results rescued the message (<c>trusted_forwarder</c>).</summary>
    [JsonStringEnumMemberName("trusted_forwarder")]
    TrustedForwarder,

    /// <summary>A mailing list's ARC results rescued the message (<c>mailing_list</c>).</summary>
    [JsonStringEnumMemberName("mailing_list")]
    MailingList,

    /// <summary>A local policy of the receiver (<c>local_policy</c>).</summary>
    [JsonStringEnumMemberName("local_policy")]
    LocalPolicy,

    /// <summary>The policy carries <c>t=y</c> (<c>policy_test_mode</c>).</summary>
    [JsonStringEnumMemberName("policy_test_mode")]
    PolicyTestMode,

    /// <summary>Any other reason (<c>other</c>).</summary>
    [JsonStringEnumMemberName("other")]
    Other,
}
