using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace DmarcCloud.Core.Reporting;

/// <summary>Validates aggregate report XML against the RFC 9990 and the RFC 7489 Appendix C schemas.</summary>
/// <remarks>
/// RFC 9990 Appendix A (namespace <c>urn:ietf:params:xml:ns:dmarc-2.0</c>). The RFC 7489 Appendix C schema
/// declares <c>targetNamespace="http://dmarc.org/dmarc-xml/0.1"</c> but refers to its own types without a
/// prefix and leaves local elements unqualified, so no validator can compile it as written and real reports
/// carry no namespace; it is loaded with the target namespace removed, which validates namespace-less
/// reports (the form receivers send). The RFC 7489 copy used is mail-dmarc's, with the IPAddress pattern on
/// one line (the RFC text splits it).
/// </remarks>
public sealed class AggregateReportSchemaValidator
{
    private const string Rfc9990Resource = "DmarcCloud.Core.Reporting.Schemas.rfc9990.xsd";
    private const string Rfc7489Resource = "DmarcCloud.Core.Reporting.Schemas.rfc7489.xsd";

    private readonly XmlSchemaSet _rfc9990;
    private readonly XmlSchemaSet _rfc7489;

    /// <summary>Creates a validator from the two schema files.</summary>
    public AggregateReportSchemaValidator(Stream rfc9990Xsd, Stream rfc7489Xsd)
    {
        ArgumentNullException.ThrowIfNull(rfc9990Xsd);
        ArgumentNullException.ThrowIfNull(rfc7489Xsd);
        _rfc9990 = Compile(rfc9990Xsd, removeTargetNamespace: false);
        _rfc7489 = Compile(rfc7489Xsd, removeTargetNamespace: true);
    }

    /// <summary>A validator over the schemas shipped inside this assembly.</summary>
    public static AggregateReportSchemaValidator CreateDefault()
    {
        var assembly = typeof(AggregateReportSchemaValidator).Assembly;
        using var rfc9990 = assembly.GetManifestResourceStream(Rfc9990Resource)
            ?? throw new InvalidOperationException($"Embedded schema {Rfc9990Resource} is missing.");
        using var rfc7489 = assembly.GetManifestResourceStream(Rfc7489Resource)
            ?? throw new InvalidOperationException($"Embedded schema {Rfc7489Resource} is missing.");
        return new AggregateReportSchemaValidator(rfc9990, rfc7489);
    }

    /// <summary>Validates XML, or gzip- or zip-compressed XML (recognized by their magic bytes), under <see cref="ReportLimits.Default"/>.</summary>
    public AggregateReportValidation Validate(ReadOnlySpan<byte> reportBytes) => Validate(reportBytes, ReportLimits.Default);

    /// <summary>
    /// Validates XML, or gzip- or zip-compressed XML, under <paramref name="limits"/>. Never throws for bad input:
    /// a corrupt or over-limit file is refused (<see cref="AggregateReportValidation.Refused"/>), malformed or too
    /// deep XML is an error in each list.
    /// </summary>
    public AggregateReportValidation Validate(ReadOnlySpan<byte> reportBytes, ReportLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        // The XML is streamed (decompressed as it is read, once per schema), never held whole: a report's cost in
        // memory is the reader's buffers and the errors kept, whatever it inflates to within the limits.
        var (open, refused) = ReportDecompressor.Prepare(reportBytes, limits);
        try
        {
            if (refused is null)
            {
                return new AggregateReportValidation(ValidateWith(_rfc9990, open!, limits), ValidateWith(_rfc7489, open!, limits));
            }
        }
        catch (ReportDecompressor.ReportRefusedException ex)
        {
            refused = ex.Message;
        }

        return new AggregateReportValidation([refused], [refused], refused);
    }

    private static List<string> ValidateWith(XmlSchemaSet schemas, Func<Stream> open, ReportLimits limits)
    {
        var errors = new List<string>();
        var dropped = 0;
        var parsing = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = limits.MaxDecompressedBytes,
        };
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = schemas,
            XmlResolver = null,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        settings.ValidationEventHandler += (_, e) =>
        {
            if (errors.Count < limits.MaxErrors)
            {
                errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {Shorten(e.Message)}");
            }
            else
            {
                dropped++;
            }
        };
        try
        {
            using var stream = open();
            // The validator reads through a reader that stops at an over-long namespace URI (see NamespaceLimitingXmlReader).
            using var parser = new NamespaceLimitingXmlReader(XmlReader.Create(stream, parsing), limits.MaxNamespaceUriLength);
            using var reader = XmlReader.Create(parser, settings);
            var nodes = 0;
            while (reader.Read())
            {
                // Depth and node count are checked as the document is read: a 100,000-deep nesting stops at the limit.
                if (reader.Depth > limits.MaxXmlDepth)
                {
                    errors.Add($"XML nested deeper than {limits.MaxXmlDepth} elements (ReportLimits.MaxXmlDepth)");
                    break;
                }

                if (++nodes > limits.MaxXmlNodes)
                {
                    errors.Add($"XML has more than {limits.MaxXmlNodes} nodes (ReportLimits.MaxXmlNodes)");
                    break;
                }

                if (dropped > 0)
                {
                    break; // the report is invalid and its first errors are kept: reading on only costs time
                }
            }
        }
        catch (XmlException ex)
        {
            errors.Add($"Not well-formed XML: {Shorten(ex.Message)}");
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // XmlTextReaderImpl.ReadData throws this (a negative Buffer.BlockCopy count) when it switches to the encoding of
            // an XML declaration holding invalid bytes, e.g. '<?xml version="1.0\xFE\xB0...' (found by the report fuzz target).
            errors.Add($"Not well-formed XML: the XML declaration could not be read ({Shorten(ex.Message)})");
        }

        if (dropped > 0)
        {
            errors.Add($"further errors not listed (ReportLimits.MaxErrors = {limits.MaxErrors})");
        }

        return errors;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 297), "...");

    private static XmlSchemaSet Compile(Stream xsd, bool removeTargetNamespace)
    {
        var document = XDocument.Load(xsd);
        if (removeTargetNamespace)
        {
            document.Root!.Attribute("targetNamespace")?.Remove();
        }

        var set = new XmlSchemaSet { XmlResolver = null };
        using (var reader = document.CreateReader())
        {
            set.Add(XmlSchema.Read(reader, (_, e) => throw new InvalidOperationException("Schema error: " + e.Message))!);
        }

        set.Compile();
        return set;
    }
}
