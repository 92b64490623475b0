namespace DmarcCloud.Functions.ReportMail;

/// <summary>
/// Which report mail arriving through the inbound path is ingested (setting <c>Ingest__Acceptance</c>). As MailMarshal
/// does, the report mail's own DMARC result decides: a forged report about a customer's domain must not become figures.
/// </summary>
public enum ReportMailAcceptance
{
    /// <summary>DMARC pass, or an ARC chain that validates (<c>cv=pass</c>) whose newest sealer is in <c>Ingest__TrustedArcSealers</c> and recorded <c>dmarc=pass</c>. The default.</summary>
    DmarcPassOrTrustedArc,

    /// <summary>DMARC pass only.</summary>
    DmarcPass,

    /// <summary>Every report mail, whatever its DMARC result (a closed network, tests, the local demo).</summary>
    Any,
}
