namespace DmarcCloud.Core.Reporting;

/// <summary>Which XML format an aggregate report is written in.</summary>
/// <remarks>RFC 9990 Appendix A (namespace <c>urn:ietf:params:xml:ns:dmarc-2.0</c>) and RFC 7489 Appendix C.</remarks>
public enum AggregateReportFormat
{
    /// <summary>RFC 9990, the default.</summary>
    Rfc9990,

    /// <summary>RFC 7489 Appendix C, for report consumers that still expect it (no namespace).</summary>
    Rfc7489,
}
