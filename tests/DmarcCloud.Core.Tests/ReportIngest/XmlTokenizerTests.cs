using System.Text;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary>
/// The report parser's own XML tokenizer: what it reports for well-formed input, and the reason it gives for each
/// well-formedness error, refused construct and exceeded limit (always a <see cref="ReportRejectedException"/>).
/// </summary>
public class XmlTokenizerTests
{
    private static readonly Utf8NameTable Names = new(["feedback", "record"]);

    [Fact]
    public void A_document_reads_as_start_text_and_end_tokens_with_their_depths()
    {
        var tokens = Tokens("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<!-- c --><?pi data?>\n<feedback a='1' b=\"2\">\n  <record><x/>text</record>\n</feedback>\n");

        Assert.Equal(["<feedback@0", "<record@1", "<x/@2", "'text'@2", "</record@1", "</feedback@0"], tokens);
    }

    [Theory]
    [InlineData("<a>&lt;&gt;&amp;&apos;&quot;</a>", "<>&'\"")]
    [InlineData("<a>&#65;&#x42;&#x1F600;</a>", "AB\U0001F600")]
    [InlineData("<a>&#0000065;</a>", "A")]
    [InlineData("<a>one\r\ntwo\rthree\n</a>", "one\ntwo\nthree\n")]
    [InlineData("<a><![CDATA[<not & a tag>]]></a>", "<not & a tag>")]
    [InlineData("<a><![CDATA[  ]]></a>", "  ")]
    [InlineData("<a>x]y]]z</a>", "x]y]]z")]
    [InlineData("<a>caf\u00e9 \u4e2d\u6587</a>", "caf\u00e9 \u4e2d\u6587")]
    public void Text_is_decoded(string xml, string text)
    {
        using var tokenizer = Open(Encoding.UTF8.GetBytes(xml));
        tokenizer.Read();
        tokenizer.Read();

        Assert.Equal(XmlTokenKind.Text, tokenizer.Kind);
        Assert.Equal(text, tokenizer.GetText());
    }

    [Theory]
    [InlineData("<a><b>pass</b><c/></a>", "pass")]
    [InlineData("<a><b> </b><c/></a>", " ")]
    [InlineData("<a><b></b><c/></a>", "")]
    [InlineData("<a><b>a&amp;b</b><c/></a>", null)]
    [InlineData("<a><b>caf\u00e9</b><c/></a>", null)]
    [InlineData("<a><b>x\r\ny</b><c/></a>", null)]
    [InlineData("<a><b>x<!-- c --></b><c/></a>", null)]
    [InlineData("<a><b>x</b ><c/></a>", null)]
    public void Plain_text_reads_in_one_step_with_its_end_tag_and_anything_else_is_left_to_the_tokens(string xml, string? plain)
    {
        using var tokenizer = Open(Encoding.UTF8.GetBytes(xml));
        tokenizer.Read();
        Assert.Null(tokenizer.TryReadPlainText()); // <a> holds markup
        tokenizer.Read();

        var text = tokenizer.TryReadPlainText();

        Assert.Equal(plain, text);
        if (plain is not null)
        {
            Assert.Equal((XmlTokenKind.EndElement, "b", 1), (tokenizer.Kind, tokenizer.LocalName, tokenizer.Depth));
        }
        else
        {
            Assert.Equal((XmlTokenKind.StartElement, "b"), (tokenizer.Kind, tokenizer.LocalName));
            tokenizer.Read();
            Assert.Equal(XmlTokenKind.Text, tokenizer.Kind);
        }

        while (tokenizer.Kind != XmlTokenKind.StartElement || tokenizer.LocalName != "c")
        {
            tokenizer.Read();
        }
    }

    [Fact]
    public void White_space_between_elements_is_not_reported_but_a_cdata_section_is()
    {
        Assert.Equal(["<a@0", "<b/@1", "''@1", "</a@0"], Tokens("<a>\r\n\t <b/>  <![CDATA[]]>\n</a>"));
    }

    [Fact]
    public void Names_from_the_table_compare_by_reference_and_namespaces_resolve()
    {
        using var tokenizer = Open("<ns:feedback xmlns:ns='urn:one' xmlns='urn:default'><record/><ns:record xmlns:ns='urn:two'/><ns:record/></ns:feedback>"u8.ToArray());
        var seen = new List<(string Name, string Uri, bool Atom)>();
        while (tokenizer.Read())
        {
            if (tokenizer.Kind == XmlTokenKind.StartElement)
            {
                seen.Add((tokenizer.Name, tokenizer.NamespaceUri, (object)tokenizer.LocalName == Names.Find("record"u8) || (object)tokenizer.LocalName == Names.Find("feedback"u8)));
            }
        }

        Assert.Equal([("ns:feedback", "urn:one", true), ("record", "urn:default", true), ("ns:record", "urn:two", true), ("ns:record", "urn:one", true)], seen);
    }

    [Theory]
    [InlineData("<a><b></a></b>", "malformed XML: the end tag </a> does not match the start tag <b> (line 1)")]
    [InlineData("<a>\n<b>\n</c>\n</a>", "malformed XML: the end tag </c> does not match the start tag <b> (line 3)")]
    [InlineData("<a>x</a></b>", "malformed XML: the end tag </b> has no start tag")]
    [InlineData("<a><b>", "malformed XML: the document ends inside <b>")]
    [InlineData("<a>&bogus;</a>", "malformed XML: the entity '&bogus;' is not defined (only the five predefined entities are; no DTD is read)")]
    [InlineData("<a>AT&T</a>", "malformed XML: '&' starts no entity or character reference (write it as &amp;)")]
    [InlineData("<a>&#0;</a>", "malformed XML: the character reference '&#0;' is not a legal XML character")]
    [InlineData("<a>&#x1;</a>", "malformed XML: the character reference '&#x1;' is not a legal XML character")]
    [InlineData("<a>&#xD800;</a>", "malformed XML: the character reference '&#xD800;' is not a legal XML character")]
    [InlineData("<a>&#xFFFE;</a>", "malformed XML: the character reference '&#xFFFE;' is not a legal XML character")]
    [InlineData("<a>&#x110000;</a>", "malformed XML: the character reference '&#x110000;' is not a legal XML character")]
    [InlineData("<a>&#12a;</a>", "malformed XML: '&#12a;' is not a character reference")]
    [InlineData("<a>&#;</a>", "malformed XML: '&#;' is not a character reference")]
    [InlineData("<a>&#X41;</a>", "malformed XML: '&#X41;' is not a character reference")]
    [InlineData("<a><![CDATA[never closed</a>", "malformed XML: a CDATA section is not closed")]
    [InlineData("<a><!-- never closed</a>", "malformed XML: a comment is not closed")]
    [InlineData("<a><!-- a -- b --></a>", "malformed XML: '--' is not allowed inside a comment")]
    [InlineData("<a><?pi never closed</a>", "malformed XML: a processing instruction is not closed")]
    [InlineData("<a>x]]>y</a>", "malformed XML: ']]>' is not allowed in character data")]
    [InlineData("<a>\u0001</a>", "malformed XML: character U+0001 is not allowed in XML")]
    [InlineData("<a>\uFFFF</a>", "malformed XML: character U+FFFF is not allowed in XML")]
    [InlineData("<a b='1' b='2'/>", "malformed XML: the attribute 'b' appears twice")]
    [InlineData("<a b=1/>", "malformed XML: an attribute value must be quoted")]
    [InlineData("<a b/>", "malformed XML: the attribute 'b' has no value")]
    [InlineData("<a b='<'/>", "malformed XML: '<' is not allowed in an attribute value")]
    [InlineData("<a b='1'c='2'/>", "malformed XML: attributes must be separated by white space")]
    [InlineData("<a b='&nope;'/>", "malformed XML: the entity '&nope;' is not defined")]
    [InlineData("<1a/>", "malformed XML: '1a' is not a valid element name")]
    [InlineData("< a/>", "malformed XML: an element name is missing or starts with a character not allowed in names")]
    [InlineData("<a:b:c/>", "malformed XML: 'a:b:c' is not a valid element name")]
    [InlineData("<p:a/>", "malformed XML: the prefix of <p:a> is not declared")]
    [InlineData("<a p:b='1'/>", "malformed XML: the prefix of the attribute 'p:b' is not declared")]
    [InlineData("<a xmlns:p=''/>", "malformed XML: the prefix 'p' is declared with an empty namespace")]
    [InlineData("text<a/>", "malformed XML: text before the root element")]
    [InlineData("<a/><b/>", "malformed XML: a second root element")]
    [InlineData(" \n ", "malformed XML: the document has no root element")]
    [InlineData("<!-- only a comment -->", "malformed XML: the document has no root element")]
    [InlineData("<a/><?xml version='1.0'?>", "malformed XML: an XML declaration is only allowed at the very start of the document")]
    [InlineData("<?xml encoding='UTF-8'?><a/>", "malformed XML: the XML declaration is malformed at 'encoding='UTF-8''")]
    [InlineData("<?xml version='2.0'?><a/>", "malformed XML: the XML declaration's version '2.0' is not valid")]
    [InlineData("<?xml version='1.0' standalone='maybe'?><a/>", "malformed XML: the XML declaration's standalone 'maybe' is not valid")]
    [InlineData("<?xml version='1.0'?><![CDATA[x]]><a/>", "malformed XML: a CDATA section outside the root element")]
    [InlineData("<a><!ELEMENT a ANY></a>", "malformed XML: '<!' starts neither a comment nor a CDATA section")]
    public void A_well_formedness_error_gives_its_reason(string xml, string reason)
    {
        var error = Error(Encoding.UTF8.GetBytes(xml));

        Assert.StartsWith(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<!DOCTYPE a [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><a>&x;</a>")]
    [InlineData("<?xml version='1.0'?>\n<!DOCTYPE a SYSTEM 'http://example.com/a.dtd'><a/>")]
    [InlineData("<!doctype a><a/>")]
    [InlineData("<a><!DOCTYPE a></a>")]
    public void A_doctype_is_refused_with_its_reason(string xml)
    {
        Assert.Equal("a DOCTYPE (DTD) is not allowed in a report", Error(Encoding.UTF8.GetBytes(xml)));
    }

    [Theory]
    [InlineData(new byte[] { 0x91 }, "byte 0x91 is not valid UTF-8")]
    [InlineData(new byte[] { 0xC3 }, "byte 0xC3 is not valid UTF-8")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "byte 0xC0 is not valid UTF-8")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "byte 0xED is not valid UTF-8")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "byte 0xF4 is not valid UTF-8")]
    public void Bytes_invalid_in_utf8_are_refused_in_strict_mode(byte[] invalid, string reason)
    {
        byte[] xml = [.. "<a>x"u8, .. invalid, .. "y</a>"u8];

        Assert.StartsWith($"malformed XML: {reason}", Error(xml), StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_invalid_in_utf8_are_replaced_and_counted_in_lenient_mode_except_in_names()
    {
        using var tokenizer = Open([.. "<a b='"u8, 0xFF, .. "'>x"u8, 0x91, (byte)'y', 0xC3, .. "</a>"u8], replace: true);
        tokenizer.Read();
        tokenizer.Read();

        Assert.Equal("x\uFFFDy\uFFFD", tokenizer.GetText());
        Assert.Equal(3, tokenizer.ReplacedSequences);
        Assert.StartsWith("malformed XML: an element name is not valid UTF-8", Error([.. "<a"u8, 0x91, .. "/>"u8], replace: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_with_a_byte_order_mark_is_read()
    {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feedback>caf\u00e9</feedback>";

        Assert.Equal(["<feedback@0", "'caf\u00e9'@1", "</feedback@0"], Tokens([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]));
        Assert.Equal(["<feedback@0", "'caf\u00e9'@1", "</feedback@0"], Tokens([.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(text)]));
    }

    [Fact]
    public void A_legacy_encoding_named_in_the_declaration_is_transcoded()
    {
        byte[] xml = [.. "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>"u8, 0x93, (byte)'q', 0x94, 0xE9, .. "</a>"u8];

        Assert.Equal(["<a@0", "'\u201Cq\u201D\u00E9'@1", "</a@0"], Tokens(xml));
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\" encoding=\"x-made-up\"?><a/>", "the XML declaration names an unknown encoding 'x-made-up'")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>", "the XML declaration names encoding 'UTF-16' but the document has no UTF-16 byte-order mark: not supported")]
    [InlineData("<?xml version=\"1.0\" encoding=\"utf-32\"?><a/>", "the XML declaration names encoding 'utf-32', which is not supported")]
    [InlineData("<?xml version=\"1.0\" encoding=\"IBM037\"?><a/>", "the XML declaration names encoding 'IBM037', which is not supported")]
    public void An_unsupported_encoding_is_refused_with_its_reason(string xml, string reason)
    {
        Assert.StartsWith(reason, Error(Encoding.ASCII.GetBytes(xml)), StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_at_the_start_tag()
    {
        var options = ReportIngestOptions.Default with { MaxXmlDepth = 3 };

        Assert.Equal(["<a@0", "<b@1", "<c@2", "<d/@3", "</c@2", "</b@1", "</a@0"], Tokens("<a><b><c><d/></c></b></a>", options));
        Assert.Equal("XML nested deeper than 3 levels", Error(Encoding.UTF8.GetBytes("<a><b><c><d><e/></d></c></b></a>"), options: options));
    }

    [Fact]
    public void A_document_larger_than_the_limit_is_refused()
    {
        var options = ReportIngestOptions.Default with { MaxDecompressedBytes = 100_000 };
        var xml = Encoding.UTF8.GetBytes("<a>" + string.Concat(Enumerable.Repeat("<b>x</b>", 20_000)) + "</a>");

        Assert.Equal("the XML document is larger than 100000 bytes", Error(xml, options: options));
    }

    [Fact]
    public void Text_longer_than_the_token_limit_is_checked_but_not_kept_and_white_space_costs_nothing()
    {
        var options = ReportIngestOptions.Default with { MaxTextLength = 1000 }; // token limit: 64 KiB
        var xml = Encoding.UTF8.GetBytes("<a>" + new string(' ', 1_000_000) + "<b>" + new string('x', 200_000) + "</b></a>");

        Assert.Equal(["<a@0", "<b@1", "'(too long)'@2", "</b@1", "</a@0"], Tokens(xml, options));
        Assert.StartsWith("malformed XML: character U+0001", Error(Encoding.UTF8.GetBytes("<a>" + new string('x', 200_000) + "\u0001</a>"), options: options), StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_and_namespace_declarations_are_bounded()
    {
        var attributes = string.Concat(Enumerable.Range(0, 65).Select(i => $" a{i}='x'"));
        var declarations = string.Concat(Enumerable.Range(0, 40).Select(i => $" xmlns:p{i}='urn:{i}'"));

        Assert.Equal("an element has more than 64 attributes", Error(Encoding.UTF8.GetBytes($"<a{attributes}/>")));
        Assert.Equal("more than 64 namespace declarations in scope", Error(Encoding.UTF8.GetBytes($"<a{declarations}><b{declarations}/></a>")));
    }

    [Fact]
    public void A_tag_longer_than_the_token_limit_is_refused()
    {
        var options = ReportIngestOptions.Default with { MaxTextLength = 1000 };
        var xml = Encoding.UTF8.GetBytes("<a b='" + new string('x', 200_000) + "'/>");

        Assert.StartsWith("malformed XML: a tag is longer than", Error(xml, options: options), StringComparison.Ordinal);
    }

    [Fact]
    public void Tokens_split_across_buffer_refills_read_the_same()
    {
        // 1-byte reads: every token, reference and UTF-8 sequence crosses a refill.
        var xml = Encoding.UTF8.GetBytes("<?xml version='1.0'?><feedback xmlns='urn:x' a=\"&amp;\"><!-- c --><record>a&#x4e2d;\u00e9\r\nb<![CDATA[]]]]></record><?p x?></feedback>");

        Assert.Equal(Tokens(xml), Tokens(new OneByteStream(xml)));
        Assert.Equal(["<feedback@0", "<record@1", "'a\u4e2d\u00e9\nb'@2", "']]'@2", "</record@1", "</feedback@0"], Tokens(xml));
    }

    private static XmlTokenizer Open(byte[] xml, bool replace = false, ReportIngestOptions? options = null) =>
        XmlTokenizer.Open(new MemoryStream(xml), Names, options ?? ReportIngestOptions.Default, null, replace);

    private static List<string> Tokens(string xml, ReportIngestOptions? options = null) => Tokens(new MemoryStream(Encoding.UTF8.GetBytes(xml)), options);

    private static List<string> Tokens(byte[] xml, ReportIngestOptions? options = null) => Tokens(new MemoryStream(xml), options);

    private static List<string> Tokens(Stream xml, ReportIngestOptions? options = null)
    {
        using var tokenizer = XmlTokenizer.Open(xml, Names, options ?? ReportIngestOptions.Default, null, replaceInvalidUtf8: false);
        var tokens = new List<string>();
        while (tokenizer.Read())
        {
            tokens.Add(tokenizer.Kind switch
            {
                XmlTokenKind.StartElement => $"<{tokenizer.Name}{(tokenizer.IsEmptyElement ? "/" : string.Empty)}@{tokenizer.Depth}",
                XmlTokenKind.EndElement => $"</{tokenizer.Name}@{tokenizer.Depth}",
                _ => $"'{(tokenizer.TextTooLong ? "(too long)" : tokenizer.GetText())}'@{tokenizer.Depth}",
            });
        }

        return tokens;
    }

    private static string Error(byte[] xml, bool replace = false, ReportIngestOptions? options = null)
    {
        var exception = Assert.Throws<ReportRejectedException>(() =>
        {
            using var tokenizer = Open(xml, replace, options);
            while (tokenizer.Read())
            {
                if (tokenizer.Kind == XmlTokenKind.Text && !tokenizer.TextTooLong)
                {
                    _ = tokenizer.GetText();
                }
            }
        });
        return exception.Message;
    }

    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
