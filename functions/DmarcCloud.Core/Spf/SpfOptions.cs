namespace DmarcCloud.Core.Spf;

/// <summary>Settings of <see cref="SpfEvaluator"/>; the defaults are the limits RFC 7208 sets.</summary>
/// <remarks>RFC 7208 §4.6.4 (processing limits), §7.3 (<c>%{r}</c>, <c>%{t}</c>).</remarks>
public sealed class SpfOptions
{
    /// <summary>DNS-querying terms (include, a, mx, ptr, exists, redirect) per check: 10 (§4.6.4).</summary>
    public int DnsLookupLimit { get; init; } = 10;

    /// <summary>Lookups answering NXDOMAIN or no records per check: 2 (§4.6.4, "SHOULD be 2").</summary>
    public int VoidLookupLimit { get; init; } = 2;

    /// <summary>Address lookups per mx mechanism, and names used per ptr lookup: 10 (§4.6.4).</summary>
    public int PerMechanismAddressLimit { get; init; } = 10;

    /// <summary>Parsed records an evaluator keeps, by record text (parsing is pure); 0 turns the cache off.</summary>
    public int ParsedRecordCacheSize { get; init; } = 1024;

    /// <summary>
    /// Characters a macro-string may expand to before the shortening of §4.8 (a domain-spec is then cut to its
    /// last 253 characters): 8192. A longer expansion is a permerror for a domain-spec and the default
    /// explanation for <c>exp=</c>; without a cap, 2,000 <c>%{h}</c> macros and a long HELO expand to megabytes.
    /// </summary>
    public int MaxMacroExpansionLength { get; init; } = 8192;

    /// <summary>The receiving host's domain, <c>%{r}</c> in explanations (§7.3); "unknown" if not set.</summary>
    public string ReceivingHost { get; init; } = "unknown";

    /// <summary>The clock for <c>%{t}</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The explanation for a fail when the record has no usable <c>exp=</c> (§6.2).</summary>
    public string DefaultExplanation { get; init; } = "SPF fail: the sending address is not authorized by the domain's SPF record";
}
