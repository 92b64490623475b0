using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Reporting;

/// <summary>Writes the aggregate report XML in the RFC 9990 format (default) or the RFC 7489 Appendix C format.</summary>
/// <remarks>
/// RFC 9990 Appendix A: namespace <c>urn:ietf:params:xml:ns:dmarc-2.0</c>, <c>version</c> 1.0, <c>generator</c>,
/// <c>np</c>/<c>testing</c>/<c>discovery_method</c>, DKIM <c>selector</c> always written, SPF <c>scope</c> only
/// <c>mfrom</c>. RFC 7489 Appendix C: no namespace (as receivers send it; the XSD's local elements are
/// unqualified), <c>sp</c>/<c>pct</c>/<c>fo</c> required, at least one SPF result, IPv6 written in full form
/// because the schema's IPAddress pattern has no <c>::</c>.
/// </remarks>
public static class AggregateReportXmlWriter
{
    /// <summary>The RFC 9990 namespace.</summary>
    public const string Rfc9990Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        Async = false,
        CloseOutput = false,
    };

    /// <summary>Writes one report to <paramref name="output"/>.</summary>
    public static void Write(
        Stream output,
        AggregateReportMetadata metadata,
        PublishedPolicy policy,
        IEnumerable<AggregateReportRow> rows,
        AggregateReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(rows);
        using var xml = XmlWriter.Create(output, Settings);
        var ns = format == AggregateReportFormat.Rfc9990 ? Rfc9990Namespace : string.Empty;
        xml.WriteStartDocument();
        xml.WriteStartElement("feedback", ns);
        xml.WriteElementString("version", ns, "1.0");
        WriteMetadata(xml, ns, metadata, format);
        WritePolicy(xml, ns, policy, format);
        foreach (var row in rows)
        {
            WriteRecord(xml, ns, row, format);
        }

        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteMetadata(XmlWriter xml, string ns, AggregateReportMetadata m, AggregateReportFormat format)
    {
        var org = m.Organization;
        xml.WriteStartElement("report_metadata", ns);
        xml.WriteElementString("org_name", ns, org.OrgName);
        xml.WriteElementString("email", ns, org.Email);
        if (!string.IsNullOrEmpty(org.ExtraContactInfo))
        {
            xml.WriteElementString("extra_contact_info", ns, org.ExtraContactInfo);
        }

        xml.WriteElementString("report_id", ns, m.ReportId);
        xml.WriteStartElement("date_range", ns);
        xml.WriteElementString("begin", ns, m.Begin.ToString(CultureInfo.InvariantCulture));
        xml.WriteElementString("end", ns, m.End.ToString(CultureInfo.InvariantCulture));
        xml.WriteEndElement();
        if (format == AggregateReportFormat.Rfc9990)
        {
            xml.WriteElementString("generator", ns, org.Generator);
        }

        xml.WriteEndElement();
    }

    private static void WritePolicy(XmlWriter xml, string ns, PublishedPolicy p, AggregateReportFormat format)
    {
        xml.WriteStartElement("policy_published", ns);
        xml.WriteElementString("domain", ns, p.Domain.ToLowerInvariant());
        if (format == AggregateReportFormat.Rfc9990)
        {
            xml.WriteElementString("p", ns, RfcName.Of(p.P));
            if (p.Sp is DmarcPolicy sp)
            {
                xml.WriteElementString("sp", ns, RfcName.Of(sp));
            }

            if (p.Np is DmarcPolicy np)
            {
                xml.WriteElementString("np", ns, RfcName.Of(np));
            }

            xml.WriteElementString("adkim", ns, Name(p.Adkim));
            xml.WriteElementString("aspf", ns, Name(p.Aspf));
            xml.WriteElementString("discovery_method", ns, p.DiscoveryMethod == DiscoveryMethod.Psl ? "psl" : "treewalk");
            if (!string.IsNullOrEmpty(p.Fo))
            {
                xml.WriteElementString("fo", ns, p.Fo);
            }

            xml.WriteElementString("testing", ns, p.Testing ? "y" : "n");
        }
        else
        {
            // RFC 7489 Appendix C makes p, sp, pct and fo mandatory: unpublished tags get their defaults.
            xml.WriteElementString("adkim", ns, Name(p.Adkim));
            xml.WriteElementString("aspf", ns, Name(p.Aspf));
            xml.WriteElementString("p", ns, RfcName.Of(p.P));
            xml.WriteElementString("sp", ns, RfcName.Of(p.Sp ?? p.P));
            xml.WriteElementString("pct", ns, (p.Pct ?? 100).ToString(CultureInfo.InvariantCulture));
            xml.WriteElementString("fo", ns, string.IsNullOrEmpty(p.Fo) ? "0" : p.Fo);
        }

        xml.WriteEndElement();
    }

    private static void WriteRecord(XmlWriter xml, string ns, AggregateReportRow row, AggregateReportFormat format)
    {
        xml.WriteStartElement("record", ns);
        xml.WriteStartElement("row", ns);
        xml.WriteElementString("source_ip", ns, format == AggregateReportFormat.Rfc7489 ? FullForm(row.SourceIp) : row.SourceIp);
        xml.WriteElementString("count", ns, row.Count.ToString(CultureInfo.InvariantCulture));
        xml.WriteStartElement("policy_evaluated", ns);
        xml.WriteElementString("disposition", ns, DispositionName(row.Disposition, format));
        xml.WriteElementString("dkim", ns, row.DkimAligned ? "pass" : "fail");
        xml.WriteElementString("spf", ns, row.SpfAligned ? "pass" : "fail");
        foreach (var reason in row.Reasons)
        {
            var (type, comment) = ReasonOf(reason, format);
            xml.WriteStartElement("reason", ns);
            xml.WriteElementString("type", ns, type);
            if (!string.IsNullOrEmpty(comment))
            {
                xml.WriteElementString("comment", ns, comment);
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement(); // policy_evaluated
        xml.WriteEndElement(); // row

        xml.WriteStartElement("identifiers", ns);
        if (format == AggregateReportFormat.Rfc9990)
        {
            xml.WriteElementString("header_from", ns, row.HeaderFrom);
            if (!string.IsNullOrEmpty(row.EnvelopeFrom))
            {
                xml.WriteElementString("envelope_from", ns, row.EnvelopeFrom);
            }

            if (!string.IsNullOrEmpty(row.EnvelopeTo))
            {
                xml.WriteElementString("envelope_to", ns, row.EnvelopeTo);
            }
        }
        else
        {
            if (!string.IsNullOrEmpty(row.EnvelopeTo))
            {
                xml.WriteElementString("envelope_to", ns, row.EnvelopeTo);
            }

            // Mandatory in RFC 7489; empty when the message had no usable MAIL FROM or HELO domain.
            xml.WriteElementString("envelope_from", ns, row.EnvelopeFrom ?? string.Empty);
            xml.WriteElementString("header_from", ns, row.HeaderFrom);
        }

        xml.WriteEndElement();

        xml.WriteStartElement("auth_results", ns);
        foreach (var d in row.Dkim)
        {
            xml.WriteStartElement("dkim", ns);
            xml.WriteElementString("domain", ns, d.Domain);
            xml.WriteElementString("selector", ns, d.Selector);
            xml.WriteElementString("result", ns, RfcName.Of(d.Result));
            xml.WriteEndElement();
        }

        if (row.Spf is SpfCheckResult spf)
        {
            xml.WriteStartElement("spf", ns);
            xml.WriteElementString("domain", ns, spf.Domain);

            // RFC 9990 knows only "mfrom": DMARC uses the MAIL FROM identity, which for a null reverse-path is
            // postmaster@HELO (RFC 7208 §2.4). RFC 7489 may say "helo".
            xml.WriteElementString("scope", ns, format == AggregateReportFormat.Rfc7489 && spf.Identity == SpfIdentity.Helo ? "helo" : "mfrom");
            xml.WriteElementString("result", ns, RfcName.Of(spf.Result));
            xml.WriteEndElement();
        }
        else if (format == AggregateReportFormat.Rfc7489)
        {
            // RFC 7489 Appendix C requires one SPF result; SPF was not checked: "none" for the envelope domain.
            xml.WriteStartElement("spf", ns);
            xml.WriteElementString("domain", ns, row.EnvelopeFrom ?? row.HeaderFrom);
            xml.WriteElementString("scope", ns, "mfrom");
            xml.WriteElementString("result", ns, "none");
            xml.WriteEndElement();
        }

        xml.WriteEndElement(); // auth_results
        xml.WriteEndElement(); // record
    }

    private static (string Type, string? Comment) ReasonOf(PolicyOverrideReason reason, AggregateReportFormat format) =>
        (reason.Type, format) switch
        {
            // RFC 7489 has no policy_test_mode; RFC 9990 dropped forwarded and sampled_out. Either way the
            // reason is reported as "other" with its name in the comment.
            (PolicyOverrideType.PolicyTestMode, AggregateReportFormat.Rfc7489)
                or (PolicyOverrideType.Forwarded or PolicyOverrideType.SampledOut, AggregateReportFormat.Rfc9990)
                => (RfcName.Of(PolicyOverrideType.Other), Join(RfcName.Of(reason.Type), reason.Comment)),
            _ => (RfcName.Of(reason.Type), reason.Comment),
        };

    private static string Join(string name, string? comment) => string.IsNullOrEmpty(comment) ? name : name + ": " + comment;

    /// <summary>RFC 7489's schema has no <c>pass</c> disposition: a DMARC pass is written as <c>none</c> there.</summary>
    private static string DispositionName(ReportDisposition disposition, AggregateReportFormat format) =>
        disposition == ReportDisposition.Pass && format == AggregateReportFormat.Rfc7489 ? RfcName.Of(ReportDisposition.None) : RfcName.Of(disposition);

    /// <summary>The tag value of <c>adkim</c>/<c>aspf</c> (RFC 9989 §4.7), not the enum's JSON name.</summary>
    private static string Name(AlignmentMode mode) => mode == AlignmentMode.Strict ? "s" : "r";

    /// <summary>IPv6 in eight full groups (RFC 7489's schema pattern has no "::"); IPv4-mapped IPv6 as IPv4.</summary>
    private static string FullForm(string sourceIp)
    {
        if (!IPAddress.TryParse(sourceIp, out var address))
        {
            return sourceIp;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return sourceIp;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var groups = new string[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = ((b[2 * i] << 8) | b[(2 * i) + 1]).ToString("x", CultureInfo.InvariantCulture);
        }

        return string.Join(':', groups);
    }
}
