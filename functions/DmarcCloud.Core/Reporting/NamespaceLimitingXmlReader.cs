using System.Xml;

namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Passes an <see cref="XmlReader"/> through unchanged, except that an element or attribute whose namespace URI is
/// longer than a limit ends the document with an <see cref="XmlException"/>, before a reader on top of it sees the node.
/// </summary>
/// <remarks>
/// The schema validator names an element's or attribute's namespace in each warning it builds ("Could not find schema
/// information for the element 'URI:name'"), and builds the message before any handler can shorten it. A namespace is
/// declared once and applies to every element under it, so one long URI is copied into up to
/// <see cref="ReportLimits.MaxErrors"/> messages per schema: a 189 KB <c>xmlns</c> value cost 58 MB (found by the
/// report fuzz target). Bounding the URI makes each message's cost a constant.
/// </remarks>
internal sealed class NamespaceLimitingXmlReader(XmlReader inner, int maxNamespaceUriLength) : XmlReader, IXmlLineInfo, IXmlNamespaceResolver
{
    public override bool Read()
    {
        if (!inner.Read())
        {
            return false;
        }

        if (inner.NodeType == XmlNodeType.Element)
        {
            Check(inner.NamespaceURI);
            if (inner.MoveToFirstAttribute())
            {
                do
                {
                    // A namespace declaration's value is the URI itself; an attribute in a namespace carries it too.
                    Check(inner.NamespaceURI);
                    if (inner.Prefix == "xmlns" || (inner.Prefix.Length == 0 && inner.LocalName == "xmlns"))
                    {
                        Check(inner.Value);
                    }
                }
                while (inner.MoveToNextAttribute());

                inner.MoveToElement();
            }
        }

        return true;
    }

    private void Check(string uri)
    {
        if (uri.Length > maxNamespaceUriLength)
        {
            throw new XmlException(
                $"a namespace URI is {uri.Length:N0} characters long, over the limit of {maxNamespaceUriLength:N0} (ReportLimits.MaxNamespaceUriLength)",
                null,
                LineNumber,
                LinePosition);
        }
    }

    public override XmlNodeType NodeType => inner.NodeType;

    public override string LocalName => inner.LocalName;

    public override string NamespaceURI => inner.NamespaceURI;

    public override string Prefix => inner.Prefix;

    public override string Name => inner.Name;

    public override bool HasValue => inner.HasValue;

    public override string Value => inner.Value;

    public override int Depth => inner.Depth;

    public override string BaseURI => inner.BaseURI;

    public override bool IsEmptyElement => inner.IsEmptyElement;

    public override bool IsDefault => inner.IsDefault;

    public override char QuoteChar => inner.QuoteChar;

    public override XmlSpace XmlSpace => inner.XmlSpace;

    public override string XmlLang => inner.XmlLang;

    public override int AttributeCount => inner.AttributeCount;

    public override bool EOF => inner.EOF;

    public override ReadState ReadState => inner.ReadState;

    public override XmlNameTable NameTable => inner.NameTable;

    public override bool CanResolveEntity => inner.CanResolveEntity;

    public override XmlReaderSettings? Settings => inner.Settings;

    public int LineNumber => (inner as IXmlLineInfo)?.LineNumber ?? 0;

    public int LinePosition => (inner as IXmlLineInfo)?.LinePosition ?? 0;

    public bool HasLineInfo() => (inner as IXmlLineInfo)?.HasLineInfo() ?? false;

    public override string GetAttribute(int i) => inner.GetAttribute(i);

    public override string? GetAttribute(string name) => inner.GetAttribute(name);

    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);

    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);

    public override void MoveToAttribute(int i) => inner.MoveToAttribute(i);

    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);

    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);

    public override bool MoveToElement() => inner.MoveToElement();

    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();

    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();

    public override bool ReadAttributeValue() => inner.ReadAttributeValue();

    public override void ResolveEntity() => inner.ResolveEntity();

    public IDictionary<string, string> GetNamespacesInScope(XmlNamespaceScope scope) =>
        ((IXmlNamespaceResolver)inner).GetNamespacesInScope(scope);

    string? IXmlNamespaceResolver.LookupPrefix(string namespaceName) => ((IXmlNamespaceResolver)inner).LookupPrefix(namespaceName);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
