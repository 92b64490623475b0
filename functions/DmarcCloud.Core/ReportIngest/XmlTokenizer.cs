using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>What the <see cref="XmlTokenizer"/> is positioned on.</summary>
internal enum XmlTokenKind
{
    /// <summary>Before the first <see cref="XmlTokenizer.Read"/>.</summary>
    None,

    /// <summary>A start tag or an empty-element tag (<see cref="XmlTokenizer.IsEmptyElement"/>; no end tag follows it).</summary>
    StartElement,

    /// <summary>An end tag.</summary>
    EndElement,

    /// <summary>Character data that is not only white space, or a CDATA section.</summary>
    Text,

    /// <summary>After the last token.</summary>
    EndOfDocument,
}

/// <summary>
/// A strict, streaming XML pull tokenizer over UTF-8 bytes, made for aggregate reports: one pass, one pooled buffer
/// holding the current token, nothing kept per element but its name while it is open. It checks the well-formedness
/// that matters for safety and meaning — matching end tags, attribute syntax and uniqueness, the five predefined
/// entities and character references (legal code points only), CDATA, comments, processing instructions, the XML
/// declaration, declared namespace prefixes, legal characters and UTF-8 — and refuses any DOCTYPE. Every violation
/// and every exceeded limit is a <see cref="ReportRejectedException"/> with the reason; nothing else is thrown except
/// the input stream's own exceptions.
/// </summary>
/// <remarks>
/// XML 1.0 (Fifth Edition) §2 and Namespaces in XML 1.0 §3-§5, with deliberate simplifications: names are checked
/// against the ASCII name characters and any well-formed non-ASCII character (the full NameChar table is not applied),
/// and attribute values other than namespace declarations are checked but never decoded. As <c>XmlReader</c> with
/// <c>IgnoreWhitespace</c>, character data made only of white space between markup is not reported, and comments and
/// processing instructions are skipped. RFC 9990 §5: no DTD, no entity but the predefined ones, nothing external.
/// Limits (<see cref="ReportIngestOptions"/>): nesting depth (checked at the start tag), document size, and a token
/// size of 8 bytes per character of <see cref="ReportIngestOptions.MaxTextLength"/> (at least 64 KiB); text beyond it
/// is read on without being kept and reported as <see cref="TextTooLong"/>, so white space or junk between elements
/// costs no memory. Legacy encodings named in the declaration (single-byte code pages, GB2312, Shift_JIS…) are
/// transcoded to UTF-8 first; UTF-16 needs its byte-order mark.
/// </remarks>
internal sealed class XmlTokenizer : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;
    private const int PrefixBytes = 1024;
    private const int MaxReferenceBytes = 32;
    private const int MaxAttributes = 64;
    private const int MaxNamespaces = 64;
    private const int MaxRecentTextBytes = 32;
    private const int RecentTextSlots = 256;
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>Bytes of character data that need no attention: tab, LF, and printable ASCII but <c>&lt; &amp; ]</c>.</summary>
    private static readonly SearchValues<byte> PlainText = SearchValues.Create(PlainBytes("<&]"));

    /// <summary>The same inside CDATA sections and attribute values' scan for the closing quote is separate.</summary>
    private static readonly SearchValues<byte> PlainCData = SearchValues.Create(PlainBytes("]"));

    /// <summary>Bytes of comments and processing instructions that need no attention (CR included: nothing is kept).</summary>
    private static readonly SearchValues<byte> PlainComment = SearchValues.Create([.. PlainBytes("-"), (byte)'\r']);

    private static readonly SearchValues<byte> PlainInstruction = SearchValues.Create([.. PlainBytes("?"), (byte)'\r']);

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    // Byte classes, for the short runs (names, values, indentation) where a table lookup per byte beats a vector search's set-up.
    private const byte NameChar = 1;
    private const byte TextChar = 2;
    private const byte CDataChar = 4;
    private const byte WhitespaceChar = 8;
    private const byte ColonChar = 16;
    private const byte NonAsciiChar = 32;
    private const int ScalarRun = 16;

    private static readonly byte[] Classes = [.. Enumerable.Range(0, 256).Select(ClassOf)];

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Stream _stream;
    private readonly Stream? _ownedStream;
    private readonly Utf8NameTable _names;
    private readonly int _maxDepth;
    private readonly int _maxTokenBytes;
    private readonly long _maxDocumentBytes;
    private readonly bool _replaceInvalidUtf8;
    private readonly bool _transcoded;

    private byte[] _buffer;
    private int _pos;
    private int _end;
    private int _tokenStart;
    private bool _eof;
    private long _bytesRead;
    private int _linesBefore;
    private bool _atDocumentStart = true;
    private bool _rootSeen;

    // Open elements: their qualified names (the table's entry, or the bytes one after another), and where each starts.
    private byte[] _openNames = new byte[512];
    private readonly int[] _openStarts;
    private readonly int[] _openColons;
    private readonly Utf8NameTable.Entry?[] _openEntries;
    private int _depth;

    // In-scope namespace declarations, innermost last.
    private Namespace[] _namespaces = new Namespace[8];
    private int _namespaceCount;

    // The current token: its name (qualified, colon position) or its text, as positions in the buffer.
    private int _nameStart;
    private int _nameLength;
    private int _colon;
    private string? _localName;
    private int _textStart;
    private int _textLength;
    private bool _textNeedsDecoding;
    private bool _textIsCData;
    private bool _textIsAscii;
    private char[]? _chars;
    private readonly string?[] _recentTexts = new string?[RecentTextSlots];
    private readonly int[] _attributeStarts = new int[MaxAttributes];
    private readonly int[] _attributeLengths = new int[MaxAttributes];

    private XmlTokenizer(Stream stream, Stream? ownedStream, Utf8NameTable names, ReportIngestOptions options, bool replaceInvalidUtf8, bool transcoded)
    {
        _stream = stream;
        _ownedStream = ownedStream;
        _names = names;
        _maxDepth = options.MaxXmlDepth;
        _maxTokenBytes = (int)Math.Clamp(options.MaxTextLength * 8L, InitialBufferBytes, Array.MaxLength);
        _maxDocumentBytes = options.MaxDecompressedBytes;
        _replaceInvalidUtf8 = replaceInvalidUtf8;
        _transcoded = transcoded;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        _openStarts = new int[Math.Max(0, options.MaxXmlDepth) + 2];
        _openColons = new int[_openStarts.Length];
        _openEntries = new Utf8NameTable.Entry?[_openStarts.Length];
    }

    /// <summary>The kind of the current token.</summary>
    public XmlTokenKind Kind { get; private set; }

    /// <summary>How many elements enclose the current token (the root element is at depth 0; its end tag too).</summary>
    public int Depth { get; private set; }

    /// <summary>Whether the current start tag was an empty-element tag (<c>&lt;x/&gt;</c>).</summary>
    public bool IsEmptyElement { get; private set; }

    /// <summary>Whether the current text was longer than the token limit: it was checked, but not kept.</summary>
    public bool TextTooLong { get; private set; }

    /// <summary>How many invalid UTF-8 sequences were replaced by U+FFFD (only when replacement was asked for).</summary>
    public int ReplacedSequences { get; private set; }

    /// <summary>The current element's local name: the name table's instance when it has one, so it compares by reference.</summary>
    public string LocalName => _localName ??= FindLocalName();

    /// <summary>The current element's qualified name, as written.</summary>
    public string Name => Encoding.UTF8.GetString(_buffer, _nameStart, _nameLength);

    /// <summary>The namespace URI of the current element (empty when none).</summary>
    public string NamespaceUri => ResolvePrefix(_buffer.AsSpan(_nameStart, Math.Max(0, _colon)))!;

    /// <summary>
    /// Opens a document: skips leading UTF-8 byte-order marks (warning when more than one) and white space before the
    /// XML declaration (warning), and picks the decoding — UTF-8 (also for US-ASCII), UTF-16 after its byte-order
    /// mark, or an ASCII-compatible legacy encoding named in the declaration, transcoded. Any other encoding is refused.
    /// </summary>
    /// <param name="replaceInvalidUtf8">Replace invalid UTF-8 in character data, attribute values and comments by U+FFFD
    /// and count it (the report parser's leniency), instead of refusing the document. Names must always be valid.</param>
    public static XmlTokenizer Open(Stream stream, Utf8NameTable names, ReportIngestOptions options, WarningList? warnings, bool replaceInvalidUtf8)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[PrefixBytes];
        var length = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var start = 0;
        var boms = 0;
        while (length - start >= 3 && prefix[start] == 0xEF && prefix[start + 1] == 0xBB && prefix[start + 2] == 0xBF)
        {
            start += 3;
            boms++;
        }

        if (length - start == 0)
        {
            throw new ReportRejectedException("the file is empty");
        }

        if (boms > 1)
        {
            warnings?.Add("more than one byte-order mark at the start was ignored");
        }

        if (length - start >= 2 && ((prefix[start] == 0xFF && prefix[start + 1] == 0xFE) || (prefix[start] == 0xFE && prefix[start + 1] == 0xFF)))
        {
            var utf16 = prefix[start] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var rest16 = new PrefixedStream(prefix.AsMemory(start + 2, length - start - 2), stream);
            var transcoder16 = Encoding.CreateTranscodingStream(rest16, utf16, Utf8NoBom, leaveOpen: true);
            return new XmlTokenizer(transcoder16, transcoder16, names, options, replaceInvalidUtf8, transcoded: true);
        }

        var ws = start;
        while (ws < length && prefix[ws] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            ws++;
        }

        if (ws > start && prefix.AsSpan(ws, length - ws).StartsWith("<?xml"u8))
        {
            warnings?.Add("whitespace before the XML declaration was ignored");
            start = ws;
        }

        var rest = new PrefixedStream(prefix.AsMemory(start, length - start), stream);
        var declared = DeclaredEncoding(prefix.AsSpan(start, length - start));
        if (declared is null || IsUtf8(declared))
        {
            return new XmlTokenizer(rest, null, names, options, replaceInvalidUtf8, transcoded: false);
        }

        var encoding = LegacyEncoding(declared);
        var transcoder = Encoding.CreateTranscodingStream(rest, encoding, Utf8NoBom, leaveOpen: true);
        return new XmlTokenizer(transcoder, transcoder, names, options, replaceInvalidUtf8, transcoded: true);
    }

    /// <summary>Moves to the next token; false after the end of the document.</summary>
    public bool Read()
    {
        if (Kind == XmlTokenKind.EndOfDocument)
        {
            return false;
        }

        while (_namespaceCount > 0 && _namespaces[_namespaceCount - 1].Depth >= _depth)
        {
            _namespaceCount--;
        }

        _localName = null;
        IsEmptyElement = false;
        TextTooLong = false;
        while (true)
        {
            _tokenStart = _pos;
            if (_pos >= _end && !Fill())
            {
                if (_depth > 0)
                {
                    throw Malformed($"the document ends inside <{OpenName()}>");
                }

                if (!_rootSeen)
                {
                    throw Malformed("the document has no root element");
                }

                Kind = XmlTokenKind.EndOfDocument;
                return false;
            }

            var atStart = _atDocumentStart;
            _atDocumentStart = false;
            if (_buffer[_pos] != (byte)'<')
            {
                if (ReadText(cdata: false))
                {
                    return true;
                }

                continue;
            }

            if (!Ensure(2))
            {
                throw Malformed("the document ends inside a tag");
            }

            switch (_buffer[_pos + 1])
            {
                case (byte)'/':
                    ReadEndTag();
                    return true;
                case (byte)'?':
                    ReadProcessingInstruction(atStart);
                    continue;
                case (byte)'!':
                    if (ReadDeclarationOrSection())
                    {
                        return true;
                    }

                    continue;
                default:
                    ReadStartTag();
                    return true;
            }
        }
    }

    /// <summary>
    /// On a start tag whose content is plain ASCII character data followed at once by its end tag (the usual
    /// <c>&lt;result&gt;pass&lt;/result&gt;</c>), reads that text in one step and moves to the end tag. Otherwise (markup,
    /// a reference, a line end, non-ASCII, or the buffer's end on the way) returns null and consumes nothing: read the
    /// content token by token.
    /// </summary>
    public string? TryReadPlainText()
    {
        if (Kind != XmlTokenKind.StartElement || IsEmptyElement)
        {
            return null;
        }

        var start = _pos;
        var end = SkipClass(start, TextChar, PlainText);
        var open = OpenNameBytes();
        var after = end + 2 + open.Length;
        if (after >= _end || _buffer[end] != (byte)'<' || _buffer[end + 1] != (byte)'/' || _buffer[after] != (byte)'>'
            || !_buffer.AsSpan(end + 2, open.Length).SequenceEqual(open))
        {
            return null;
        }

        var text = _buffer.AsSpan(start, end - start);
        var value = text.Length <= MaxRecentTextBytes ? RecentText(text) : Encoding.Latin1.GetString(text);
        EndElement(end + 2, open.Length, after + 1);
        return value;
    }

    /// <summary>The current text token, decoded (references resolved, line ends normalised to LF), not trimmed.</summary>
    public string GetText()
    {
        var bytes = _buffer.AsSpan(_textStart, _textLength);
        if (!_textNeedsDecoding)
        {
            // Checked already: ASCII only needs widening (cheaper than UTF-8 decoding, which validates again).
            return !_textIsAscii ? Encoding.UTF8.GetString(bytes)
                : bytes.Length <= MaxRecentTextBytes ? RecentText(bytes)
                : Encoding.Latin1.GetString(bytes);
        }

        if (_chars is null || _chars.Length < bytes.Length)
        {
            if (_chars is not null)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 256));
        }

        var written = Decode(bytes, _chars, _textIsCData);
        return new string(_chars, 0, written);
    }

    /// <summary>
    /// Short ASCII text, from a small direct-mapped cache of the strings made last: report values repeat record after
    /// record (pass, none, the domains, the selector), and a hit costs a comparison instead of an allocation.
    /// </summary>
    private string RecentText(ReadOnlySpan<byte> bytes)
    {
        var hash = bytes.Length;
        foreach (var b in bytes)
        {
            hash = (hash * 31) + b;
        }

        ref var slot = ref _recentTexts[Utf8NameTable.Fold(hash) & (RecentTextSlots - 1)];
        if (slot is { } cached && cached.Length == bytes.Length)
        {
            var same = true;
            for (var i = 0; i < bytes.Length && same; i++)
            {
                same = cached[i] == bytes[i];
            }

            if (same)
            {
                return cached;
            }
        }

        return slot = Encoding.Latin1.GetString(bytes);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_chars is not null)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = null;
        }

        _ownedStream?.Dispose();
    }

    private string FindLocalName()
    {
        var local = _buffer.AsSpan(_nameStart + _colon + 1, _nameLength - _colon - 1);
        return _names.Find(local) ?? Encoding.UTF8.GetString(local);
    }

    private static byte[] PlainBytes(string except) =>
        [9, 10, .. Enumerable.Range(0x20, 0x60).Select(b => (byte)b).Where(b => !except.Contains((char)b, StringComparison.Ordinal))];

    private static bool IsUtf8(string name) =>
        name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase) || name.Equals("ascii", StringComparison.OrdinalIgnoreCase);

    /// <summary>The encoding a declaration names, when it can be transcoded: known, and ASCII in the bytes markup is made of.</summary>
    private static Encoding LegacyEncoding(string declared)
    {
        Encoding encoding;
        try
        {
            encoding = LegacyEncodings.Get(declared);
        }
        catch (ArgumentException)
        {
            throw new ReportRejectedException($"the XML declaration names an unknown encoding '{ReportText.Truncate(declared)}'");
        }

        if (encoding.CodePage is 1200 or 1201)
        {
            throw new ReportRejectedException($"the XML declaration names encoding '{ReportText.Truncate(declared)}' but the document has no UTF-16 byte-order mark: not supported");
        }

        const string markup = "<?xml version=\"1.0\" encoding='x'?>&#;/![]-_.: \t\r\nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        if (encoding.CodePage == 65000 || !encoding.GetBytes(markup).AsSpan().SequenceEqual(Encoding.ASCII.GetBytes(markup)))
        {
            throw new ReportRejectedException($"the XML declaration names encoding '{ReportText.Truncate(declared)}', which is not supported (UTF-8, UTF-16 with a byte-order mark, or an ASCII-compatible legacy encoding)");
        }

        return encoding;
    }

    /// <summary>The encoding named by the XML declaration at the start of <paramref name="bytes"/>, if any.</summary>
    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("<?xml"u8))
        {
            return null;
        }

        var end = bytes.IndexOf("?>"u8);
        var declaration = Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var i = at + "encoding".Length;
        while (i < declaration.Length && declaration[i] is ' ' or '=' or '\t' or '\r' or '\n')
        {
            i++;
        }

        if (i >= declaration.Length || declaration[i] is not ('"' or '\''))
        {
            return null;
        }

        var close = declaration.IndexOf(declaration[i], i + 1);
        return close < 0 ? null : declaration[(i + 1)..close].Trim();
    }

    private static byte ClassOf(int b)
    {
        var c = b >= 0x80 || char.IsAsciiLetterOrDigit((char)b) || b is '-' or '.' or '_' or ':' ? NameChar : 0;
        c |= PlainText.Contains((byte)b) ? TextChar : 0;
        c |= PlainCData.Contains((byte)b) ? CDataChar : 0;
        c |= IsWhitespace((byte)b) ? WhitespaceChar : 0;
        c |= b == ':' ? ColonChar : 0;
        c |= b >= 0x80 ? NonAsciiChar : 0;
        return (byte)c;
    }

    private static bool IsXmlChar(int c) =>
        c is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or (>= 0x10000 and <= 0x10FFFF);

    private static bool IsNameStart(byte b) => b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (byte)'_' or >= 0x80;

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>
    /// Reads character data (or a CDATA section's content) up to the next markup. False when it was only white space
    /// (not reported). Text longer than the token limit is read on without being kept.
    /// </summary>
    private bool ReadText(bool cdata)
    {
        var stop = cdata ? PlainCData : PlainText;
        var plain = cdata ? CDataChar : TextChar;
        var needsDecoding = false;
        var nonAscii = false;
        var hasReference = false;
        var overflow = false;
        var overflowOnlyWhitespace = true;

        // Reads more input. Once the token would outgrow the limit, what was scanned is checked and dropped instead of kept.
        bool More()
        {
            if (!overflow && _tokenStart == 0 && _end == _buffer.Length && _buffer.Length >= _maxTokenBytes)
            {
                overflow = true;
            }

            if (overflow)
            {
                overflowOnlyWhitespace &= OnlyWhitespace(_tokenStart, _pos);
                _tokenStart = _pos;
            }

            return Fill();
        }

        void Available(int count)
        {
            while (_end - _pos < count && More())
            {
            }
        }

        while (true)
        {
            var next = SkipClass(_pos, plain, stop);
            if (next == _end)
            {
                _pos = _end;
                if (!More())
                {
                    if (cdata)
                    {
                        throw Malformed("a CDATA section is not closed");
                    }

                    if (_depth > 0)
                    {
                        throw Malformed($"the document ends inside <{OpenName()}>");
                    }

                    break;
                }

                continue;
            }

            _pos = next;
            var b = _buffer[_pos];
            if (b == (byte)'<')
            {
                break;
            }

            switch (b)
            {
                case (byte)'&':
                    Available(MaxReferenceBytes);
                    _pos += ParseReference(_buffer.AsSpan(_pos, _end - _pos), out _);
                    needsDecoding = hasReference = true;
                    break;
                case (byte)']':
                    Available(3);
                    if (_buffer.AsSpan(_pos, _end - _pos).StartsWith("]]>"u8))
                    {
                        if (cdata)
                        {
                            _textIsAscii = !nonAscii;
                            return EndText(_pos, _pos + 3, needsDecoding, overflow, overflowOnlyWhitespace, hasReference, cdata);
                        }

                        throw Malformed("']]>' is not allowed in character data");
                    }

                    _pos++;
                    break;
                case (byte)'\r':
                    needsDecoding = true;
                    _pos++;
                    break;
                default:
                    Available(4);
                    needsDecoding |= SkipSpecialCharacter(_end);
                    nonAscii = true;
                    break;
            }
        }

        _textIsAscii = !nonAscii;
        return EndText(_pos, _pos, needsDecoding, overflow, overflowOnlyWhitespace, hasReference, cdata);
    }

    /// <summary>The first position from <paramref name="pos"/> (or the buffer's end) of a byte not in the class.</summary>
    private int SkipClass(int pos, byte @class, SearchValues<byte> same)
    {
        var run = _buffer.AsSpan(pos, Math.Min(_end - pos, ScalarRun));
        for (var i = 0; i < run.Length; i++)
        {
            if ((Classes[run[i]] & @class) == 0)
            {
                return pos + i;
            }
        }

        pos += run.Length;
        if (pos == _end)
        {
            return pos;
        }

        var next = _buffer.AsSpan(pos, _end - pos).IndexOfAnyExcept(same);
        return next < 0 ? _end : pos + next;
    }

    private bool OnlyWhitespace(int start, int end)
    {
        var run = _buffer.AsSpan(start, Math.Min(end - start, ScalarRun));
        for (var i = 0; i < run.Length; i++)
        {
            if ((Classes[run[i]] & WhitespaceChar) == 0)
            {
                return false;
            }
        }

        start += run.Length;
        return start == end || _buffer.AsSpan(start, end - start).IndexOfAnyExcept(Whitespace) < 0;
    }

    private bool EndText(int end, int next, bool needsDecoding, bool overflow, bool overflowOnlyWhitespace, bool hasReference, bool cdata)
    {
        var onlyWhitespace = !hasReference && !cdata && overflowOnlyWhitespace && OnlyWhitespace(_tokenStart, end);
        _pos = next;
        if (_depth == 0 && !cdata)
        {
            if (!onlyWhitespace)
            {
                throw Malformed(_rootSeen ? "text after the root element" : "text before the root element");
            }

            return false;
        }

        if (onlyWhitespace)
        {
            return false;
        }

        Kind = XmlTokenKind.Text;
        Depth = _depth;
        TextTooLong = overflow;
        _textStart = _tokenStart;
        _textLength = overflow ? 0 : end - _tokenStart;
        _textNeedsDecoding = needsDecoding;
        _textIsCData = cdata;
        return true;
    }

    /// <summary>
    /// Checks the byte at the cursor that is neither plain ASCII nor markup: a UTF-8 sequence (a legal XML character),
    /// or a control character (refused). Returns whether an invalid sequence was replaced.
    /// </summary>
    private bool SkipSpecialCharacter(int limit)
    {
        var b = _buffer[_pos];
        if (b < 0x80)
        {
            throw Malformed($"character U+{b:X4} is not allowed in XML");
        }

        var status = Rune.DecodeFromUtf8(_buffer.AsSpan(_pos, limit - _pos), out var rune, out var consumed);
        if (status == OperationStatus.Done)
        {
            if (!IsXmlChar(rune.Value))
            {
                throw Malformed($"character U+{rune.Value:X4} is not allowed in XML");
            }

            _pos += consumed;
            return false;
        }

        if (!_replaceInvalidUtf8)
        {
            throw Malformed($"byte 0x{b:X2} is not valid UTF-8");
        }

        ReplacedSequences++;
        _pos += Math.Max(1, consumed);
        return true;
    }

    /// <summary>Checks the reference at the start of <paramref name="span"/>; returns its length in bytes (with the ';').</summary>
    private int ParseReference(ReadOnlySpan<byte> span, out int codePoint)
    {
        var semicolon = span[..Math.Min(span.Length, MaxReferenceBytes)].IndexOf((byte)';');
        if (semicolon < 2)
        {
            throw Malformed("'&' starts no entity or character reference (write it as &amp;)");
        }

        var name = span[1..semicolon];
        if (name[0] != (byte)'#')
        {
            codePoint = name switch
            {
                _ when name.SequenceEqual("lt"u8) => '<',
                _ when name.SequenceEqual("gt"u8) => '>',
                _ when name.SequenceEqual("amp"u8) => '&',
                _ when name.SequenceEqual("apos"u8) => '\'',
                _ when name.SequenceEqual("quot"u8) => '"',
                _ => throw Malformed($"the entity '&{ReportText.Truncate(Encoding.UTF8.GetString(name), 20)};' is not defined (only the five predefined entities are; no DTD is read)"),
            };
            return semicolon + 1;
        }

        var hex = name.Length > 1 && name[1] == (byte)'x';
        var digits = name[(hex ? 2 : 1)..];
        long value = 0;
        foreach (var d in digits)
        {
            var digit = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' when hex => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' when hex => d - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                throw Malformed($"'&{ReportText.Truncate(Encoding.UTF8.GetString(name), 20)};' is not a character reference");
            }

            value = Math.Min((value * (hex ? 16 : 10)) + digit, 0x110000);
        }

        if (digits.Length == 0)
        {
            throw Malformed($"'&{Encoding.UTF8.GetString(name)};' is not a character reference");
        }

        if (!IsXmlChar((int)value))
        {
            throw Malformed($"the character reference '&{Encoding.UTF8.GetString(name)};' is not a legal XML character");
        }

        codePoint = (int)value;
        return semicolon + 1;
    }

    /// <summary>Decodes checked character data: UTF-8 (invalid sequences replaced), references, CR LF and CR to LF.</summary>
    private int Decode(ReadOnlySpan<byte> bytes, Span<char> chars, bool cdata)
    {
        var written = 0;
        while (bytes.Length > 0)
        {
            var special = cdata ? bytes.IndexOf((byte)'\r') : bytes.IndexOfAny((byte)'\r', (byte)'&');
            var run = special < 0 ? bytes : bytes[..special];
            Utf8.ToUtf16(run, chars[written..], out _, out var runChars, replaceInvalidSequences: true);
            written += runChars;
            if (special < 0)
            {
                break;
            }

            bytes = bytes[special..];
            if (bytes[0] == (byte)'\r')
            {
                chars[written++] = '\n';
                bytes = bytes.Length > 1 && bytes[1] == (byte)'\n' ? bytes[2..] : bytes[1..];
            }
            else
            {
                var length = ParseReference(bytes, out var codePoint);
                written += new Rune(codePoint).EncodeToUtf16(chars[written..]);
                bytes = bytes[length..];
            }
        }

        return written;
    }

    private void ReadStartTag()
    {
        if (_rootSeen && _depth == 0)
        {
            throw Malformed("a second root element");
        }

        // The common case, a tag without attributes already in the buffer: <name>.
        var nameStart = _pos + 1;
        var nameLength = ScanName(nameStart, _end, out var colon, out var nonAscii, out var hash);
        int next;
        if (nameStart + nameLength < _end && _buffer[nameStart + nameLength] == (byte)'>')
        {
            CheckName(nameStart, nameLength, colon, nonAscii, "element");
            next = nameStart + nameLength + 1;
        }
        else
        {
            var tagEnd = FindTagEnd();
            nameStart = _tokenStart + 1;
            nameLength = ScanName(nameStart, tagEnd, out colon, out nonAscii, out hash);
            CheckName(nameStart, nameLength, colon, nonAscii, "element");
            IsEmptyElement = ParseAttributes(nameStart + nameLength, tagEnd);
            next = tagEnd + 1;
        }

        _nameStart = nameStart;
        _nameLength = nameLength;
        _colon = colon;
        Kind = XmlTokenKind.StartElement;
        Depth = _depth;
        if (_depth > _maxDepth)
        {
            throw new ReportRejectedException($"XML nested deeper than {_maxDepth} levels");
        }

        if (colon > 0 && ResolvePrefix(_buffer.AsSpan(nameStart, colon)) is null)
        {
            throw Malformed($"the prefix of <{ReportText.Truncate(Name)}> is not declared");
        }

        // A name of the table (unprefixed) is its own local name, and need not be copied to be matched by its end tag.
        var entry = colon < 0 ? _names.Find(_buffer.AsSpan(nameStart, nameLength), hash) : null;
        _localName = entry?.Name;
        _rootSeen = true;
        _pos = next;
        if (!IsEmptyElement)
        {
            Push(_buffer.AsSpan(nameStart, nameLength), colon, entry);
        }
    }

    private void ReadEndTag()
    {
        var nameStart = _pos + 2;
        if (_depth > 0)
        {
            // The common case: </name> of the open element, already in the buffer.
            var open = OpenNameBytes();
            var after = nameStart + open.Length;
            if (after < _end && _buffer[after] == (byte)'>' && _buffer.AsSpan(nameStart, open.Length).SequenceEqual(open))
            {
                EndElement(nameStart, open.Length, after + 1);
                return;
            }
        }

        var tagEnd = FindTagEnd();
        nameStart = _tokenStart + 2;
        var nameLength = ScanName(nameStart, tagEnd, out _, out _);
        if (!OnlyWhitespace(nameStart + nameLength, tagEnd))
        {
            throw Malformed("an end tag holds something other than a name");
        }

        var name = _buffer.AsSpan(nameStart, nameLength);
        if (_depth == 0)
        {
            throw Malformed($"the end tag </{ReportText.Truncate(Encoding.UTF8.GetString(name))}> has no start tag");
        }

        if (!name.SequenceEqual(OpenNameBytes()))
        {
            throw Malformed($"the end tag </{ReportText.Truncate(Encoding.UTF8.GetString(name))}> does not match the start tag <{OpenName()}>");
        }

        EndElement(nameStart, nameLength, tagEnd + 1);
    }

    private void EndElement(int nameStart, int nameLength, int next)
    {
        _depth--;
        _nameStart = nameStart;
        _nameLength = nameLength;
        _colon = _openColons[_depth];
        _localName = _openEntries[_depth]?.Name;
        Kind = XmlTokenKind.EndElement;
        Depth = _depth;
        _pos = next;
    }

    /// <summary>The length of the name at <paramref name="pos"/> (up to <paramref name="limit"/>), where its first colon is (-1: none), and whether it has non-ASCII bytes.</summary>
    private int ScanName(int pos, int limit, out int colon, out bool nonAscii) => ScanName(pos, limit, out colon, out nonAscii, out _);

    /// <summary>As above, with the name's <see cref="Utf8NameTable.Hash"/> (computed on the way: names are scanned once).</summary>
    private int ScanName(int pos, int limit, out int colon, out bool nonAscii, out int hash)
    {
        var name = _buffer.AsSpan(pos, limit - pos);
        var classes = 0;
        var h = 0;
        var i = 0;
        for (; i < name.Length; i++)
        {
            var c = Classes[name[i]];
            if ((c & NameChar) == 0)
            {
                break;
            }

            classes |= c;
            h = (h * 31) + name[i];
        }

        colon = (classes & ColonChar) == 0 ? -1 : name.IndexOf((byte)':');
        nonAscii = (classes & NonAsciiChar) != 0;
        hash = Utf8NameTable.Fold(h);
        return i;
    }

    /// <summary>Makes the whole tag at the token start available; returns the position of its closing '&gt;'.</summary>
    private int FindTagEnd()
    {
        var scan = _tokenStart + 1;
        byte quote = 0;
        while (true)
        {
            var span = _buffer.AsSpan(scan, _end - scan);
            var i = quote == 0 ? span.IndexOfAny((byte)'>', (byte)'"', (byte)'\'') : span.IndexOf(quote);
            if (i < 0)
            {
                var offset = scan - _tokenStart + span.Length;
                _pos = _end;
                if (_tokenStart == 0 && _end == _buffer.Length && _buffer.Length >= _maxTokenBytes)
                {
                    throw Malformed($"a tag is longer than {_maxTokenBytes} bytes");
                }

                if (!Fill())
                {
                    throw Malformed("the document ends inside a tag");
                }

                scan = _tokenStart + offset;
                continue;
            }

            scan += i;
            if (quote != 0)
            {
                quote = 0;
            }
            else if (_buffer[scan] == (byte)'>')
            {
                return scan;
            }
            else
            {
                quote = _buffer[scan];
            }

            scan++;
        }
    }

    /// <summary>Parses the attributes between the name and the end of a start tag; returns whether it is an empty-element tag.</summary>
    private bool ParseAttributes(int pos, int tagEnd)
    {
        var count = 0;
        while (true)
        {
            var ws = _buffer.AsSpan(pos, tagEnd - pos).IndexOfAnyExcept(Whitespace);
            var hadSpace = ws != 0;
            pos = ws < 0 ? tagEnd : pos + ws;
            if (pos == tagEnd)
            {
                break;
            }

            if (_buffer[pos] == (byte)'/' && pos + 1 == tagEnd)
            {
                CheckAttributePrefixes(count);
                return true;
            }

            if (!hadSpace)
            {
                throw Malformed("attributes must be separated by white space");
            }

            var nameStart = pos;
            var nameLength = ScanName(pos, tagEnd, out var colon, out var nonAscii);
            CheckName(nameStart, nameLength, colon, nonAscii, "attribute");
            pos += nameLength;
            while (pos < tagEnd && IsWhitespace(_buffer[pos]))
            {
                pos++;
            }

            if (pos >= tagEnd || _buffer[pos] != (byte)'=')
            {
                throw Malformed($"the attribute '{ReportText.Truncate(Encoding.UTF8.GetString(_buffer, nameStart, nameLength))}' has no value");
            }

            pos++;
            while (pos < tagEnd && IsWhitespace(_buffer[pos]))
            {
                pos++;
            }

            if (pos >= tagEnd || _buffer[pos] is not ((byte)'"' or (byte)'\''))
            {
                throw Malformed("an attribute value must be quoted");
            }

            var quote = _buffer[pos];
            var valueStart = pos + 1;
            var valueEnd = _buffer.AsSpan(valueStart, tagEnd - valueStart).IndexOf(quote) + valueStart;
            if (valueEnd < valueStart)
            {
                throw Malformed("an attribute value is not closed");
            }

            var value = _buffer.AsSpan(valueStart, valueEnd - valueStart);
            var name = _buffer.AsSpan(nameStart, nameLength);
            if (count == MaxAttributes)
            {
                throw new ReportRejectedException($"an element has more than {MaxAttributes} attributes");
            }

            for (var a = 0; a < count; a++)
            {
                if (name.SequenceEqual(_buffer.AsSpan(_attributeStarts[a], _attributeLengths[a])))
                {
                    throw Malformed($"the attribute '{ReportText.Truncate(Encoding.UTF8.GetString(name))}' appears twice");
                }
            }

            _attributeStarts[count] = nameStart;
            _attributeLengths[count] = nameLength;
            count++;
            var needsDecoding = CheckAttributeValue(valueStart, valueEnd);
            if (name.SequenceEqual("xmlns"u8) || name.StartsWith("xmlns:"u8))
            {
                var uri = needsDecoding ? DecodeAttribute(value) : Encoding.UTF8.GetString(value);
                Declare(name.Length == 5 ? [] : name[6..], uri);
            }

            pos = valueEnd + 1;
        }

        CheckAttributePrefixes(count);
        return false;
    }

    private void CheckAttributePrefixes(int count)
    {
        for (var a = 0; a < count; a++)
        {
            var name = _buffer.AsSpan(_attributeStarts[a], _attributeLengths[a]);
            var colon = name.IndexOf((byte)':');
            if (colon > 0 && !name[..colon].SequenceEqual("xmlns"u8) && ResolvePrefix(name[..colon]) is null)
            {
                throw Malformed($"the prefix of the attribute '{ReportText.Truncate(Encoding.UTF8.GetString(name))}' is not declared");
            }
        }
    }

    /// <summary>Checks an attribute value's characters and references; returns whether it needs decoding.</summary>
    private bool CheckAttributeValue(int start, int end)
    {
        var needsDecoding = false;
        var saved = _pos;
        _pos = start;
        while (_pos < end)
        {
            var i = _buffer.AsSpan(_pos, end - _pos).IndexOfAnyExcept(PlainText);
            if (i < 0)
            {
                break;
            }

            _pos += i;
            switch (_buffer[_pos])
            {
                case (byte)'<':
                    throw Malformed("'<' is not allowed in an attribute value");
                case (byte)'&':
                    _pos += ParseReference(_buffer.AsSpan(_pos, end - _pos), out _);
                    needsDecoding = true;
                    break;
                case (byte)']':
                    _pos++;
                    break;
                case (byte)'\r':
                    _pos++;
                    needsDecoding = true;
                    break;
                default:
                    needsDecoding |= SkipSpecialCharacter(end);
                    break;
            }
        }

        _pos = saved;
        return needsDecoding;
    }

    /// <summary>An attribute value as XML 1.0 §3.3.3 normalises it (references resolved, each white space character a space).</summary>
    private string DecodeAttribute(ReadOnlySpan<byte> value)
    {
        var chars = new char[value.Length];
        var written = Decode(value, chars, cdata: false);
        var text = chars.AsSpan(0, written);
        text.Replace('\t', ' ');
        text.Replace('\n', ' ');
        return new string(text);
    }

    private void Declare(ReadOnlySpan<byte> prefix, string uri)
    {
        if (prefix.Length > 0 && uri.Length == 0)
        {
            throw Malformed($"the prefix '{ReportText.Truncate(Encoding.UTF8.GetString(prefix))}' is declared with an empty namespace");
        }

        if (prefix.SequenceEqual("xmlns"u8) || (prefix.SequenceEqual("xml"u8) && uri != XmlNamespace))
        {
            throw Malformed($"the prefix '{Encoding.UTF8.GetString(prefix)}' cannot be declared");
        }

        if (_namespaceCount == MaxNamespaces)
        {
            // Each prefixed name is resolved by a search of the declarations in scope: bounded, so is its cost.
            throw new ReportRejectedException($"more than {MaxNamespaces} namespace declarations in scope");
        }

        if (_namespaceCount == _namespaces.Length)
        {
            Array.Resize(ref _namespaces, _namespaces.Length * 2);
        }

        _namespaces[_namespaceCount++] = new Namespace(prefix.ToArray(), uri, _depth);
    }

    /// <summary>The namespace a prefix (empty: the default namespace) is bound to; null when an actual prefix is not declared.</summary>
    private string? ResolvePrefix(ReadOnlySpan<byte> prefix)
    {
        for (var i = _namespaceCount - 1; i >= 0; i--)
        {
            if (prefix.SequenceEqual(_namespaces[i].Prefix))
            {
                return _namespaces[i].Uri;
            }
        }

        return prefix.Length == 0 ? string.Empty : prefix.SequenceEqual("xml"u8) ? XmlNamespace : null;
    }

    private void CheckName(int start, int length, int colon, bool nonAscii, string what)
    {
        if (length <= 0)
        {
            throw Malformed($"an {what} name is missing or starts with a character not allowed in names");
        }

        var name = _buffer.AsSpan(start, length);
        if (!IsNameStart(name[0]) || (colon >= 0 && (colon == 0 || colon == length - 1 || !IsNameStart(name[colon + 1]) || name[(colon + 1)..].Contains((byte)':'))))
        {
            throw Malformed($"'{ReportText.Truncate(Encoding.UTF8.GetString(name))}' is not a valid {what} name");
        }

        if (nonAscii && !Utf8.IsValid(name))
        {
            throw Malformed($"an {what} name is not valid UTF-8");
        }
    }

    private void Push(ReadOnlySpan<byte> name, int colon, Utf8NameTable.Entry? entry)
    {
        _openColons[_depth] = colon;
        _openEntries[_depth] = entry;
        var start = _openStarts[_depth];
        if (entry is null)
        {
            if (start + name.Length > _openNames.Length)
            {
                Array.Resize(ref _openNames, Math.Max(_openNames.Length * 2, start + name.Length));
            }

            name.CopyTo(_openNames.AsSpan(start));
            start += name.Length;
        }

        _depth++;
        _openStarts[_depth] = start;
    }

    /// <summary>The qualified name of the innermost open element.</summary>
    private ReadOnlySpan<byte> OpenNameBytes() =>
        _openEntries[_depth - 1] is { } entry ? entry.Utf8 : _openNames.AsSpan(_openStarts[_depth - 1], _openStarts[_depth] - _openStarts[_depth - 1]);

    private string OpenName() => ReportText.Truncate(Encoding.UTF8.GetString(OpenNameBytes()));

    /// <summary>A comment, a CDATA section (true: a text token) or a DOCTYPE (refused).</summary>
    private bool ReadDeclarationOrSection()
    {
        Ensure(9);
        var head = _buffer.AsSpan(_pos, _end - _pos);
        if (head.StartsWith("<!--"u8))
        {
            _pos += 4;
            SkipUntil(PlainComment, "-->"u8, "a comment");
            return false;
        }

        if (head.StartsWith("<![CDATA["u8))
        {
            if (_depth == 0)
            {
                throw Malformed("a CDATA section outside the root element");
            }

            _pos += 9;
            _tokenStart = _pos;
            return ReadText(cdata: true);
        }

        if (head.Length >= 9 && Ascii.EqualsIgnoreCase(head[..9], "<!DOCTYPE"u8))
        {
            throw new ReportRejectedException("a DOCTYPE (DTD) is not allowed in a report");
        }

        throw Malformed("'<!' starts neither a comment nor a CDATA section");
    }

    private void ReadProcessingInstruction(bool atStart)
    {
        Ensure(6);
        var targetStart = _pos + 2;
        var targetLength = ScanName(targetStart, _end, out var colon, out var nonAscii);
        CheckName(targetStart, targetLength, colon, nonAscii, "processing instruction");
        var target = _buffer.AsSpan(targetStart, targetLength);
        if (target.Length == 3 && Ascii.EqualsIgnoreCase(target, "xml"u8))
        {
            if (!atStart)
            {
                throw Malformed("an XML declaration is only allowed at the very start of the document");
            }

            ReadXmlDeclaration();
            return;
        }

        _pos = targetStart + targetLength;
        if (_pos < _end && !IsWhitespace(_buffer[_pos]) && _buffer[_pos] != (byte)'?')
        {
            throw Malformed("a processing instruction's target must be followed by white space");
        }

        SkipUntil(PlainInstruction, "?>"u8, "a processing instruction");
    }

    /// <summary>version, then optional encoding and standalone, each once and in that order (XML 1.0 §2.8, §4.3.3).</summary>
    private void ReadXmlDeclaration()
    {
        var end = -1;
        while ((end = _buffer.AsSpan(_tokenStart, _end - _tokenStart).IndexOf("?>"u8)) < 0)
        {
            if (_end - _tokenStart > PrefixBytes || !Fill())
            {
                throw Malformed("the XML declaration is not closed within its first 1024 bytes");
            }
        }

        var text = Encoding.ASCII.GetString(_buffer, _tokenStart + 5, end - 5);
        var rest = text.AsSpan();
        string[] names = ["version", "encoding", "standalone"];
        var next = 0;
        while (true)
        {
            var trimmed = rest.TrimStart(" \t\r\n");
            if (trimmed.IsEmpty)
            {
                break;
            }

            if (trimmed.Length == rest.Length)
            {
                throw Malformed("the XML declaration is malformed");
            }

            var eq = trimmed.IndexOf('=');
            var name = eq < 0 ? trimmed : trimmed[..eq].TrimEnd(" \t\r\n");
            var index = -1;
            for (var n = next; n < names.Length && index < 0; n++)
            {
                index = name.SequenceEqual(names[n]) ? n : -1;
            }

            if (eq < 0 || index < 0 || (next == 0 && index != 0))
            {
                throw Malformed($"the XML declaration is malformed at '{ReportText.Truncate(trimmed.ToString(), 20)}'");
            }

            var valuePart = trimmed[(eq + 1)..].TrimStart(" \t\r\n");
            if (valuePart.IsEmpty || valuePart[0] is not ('"' or '\''))
            {
                throw Malformed($"the XML declaration's {names[index]} is not quoted");
            }

            var close = valuePart[1..].IndexOf(valuePart[0]);
            if (close < 0)
            {
                throw Malformed($"the XML declaration's {names[index]} is not closed");
            }

            var value = valuePart.Slice(1, close);
            var valid = index switch
            {
                0 => value.Length >= 3 && value.StartsWith("1.") && !value[2..].ContainsAnyExceptInRange('0', '9'),
                1 => value.Length > 0 && char.IsAsciiLetter(value[0]) && !value.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"),
                _ => value is "yes" or "no",
            };
            if (!valid)
            {
                throw Malformed($"the XML declaration's {names[index]} '{ReportText.Truncate(value.ToString(), 20)}' is not valid");
            }

            if (index == 1 && !_transcoded && !IsUtf8(value.ToString()))
            {
                throw new ReportRejectedException($"the XML declaration names encoding '{ReportText.Truncate(value.ToString(), 20)}', which was not recognised at the start of the file");
            }

            next = index + 1;
            rest = valuePart[(close + 2)..];
        }

        if (next == 0)
        {
            throw Malformed("the XML declaration has no version");
        }

        _pos = _tokenStart + end + 2;
    }

    /// <summary>Skips to the end of a comment or processing instruction, checking its characters; keeps nothing.</summary>
    private void SkipUntil(SearchValues<byte> plain, ReadOnlySpan<byte> terminator, string what)
    {
        while (true)
        {
            _tokenStart = _pos;
            var i = _buffer.AsSpan(_pos, _end - _pos).IndexOfAnyExcept(plain);
            if (i < 0)
            {
                _pos = _end;
                _tokenStart = _pos;
                if (!Fill())
                {
                    throw Malformed($"{what} is not closed");
                }

                continue;
            }

            _pos += i;
            _tokenStart = _pos;
            var b = _buffer[_pos];
            if (b == terminator[0])
            {
                Ensure(terminator.Length);
                var here = _buffer.AsSpan(_pos, _end - _pos);
                if (here.StartsWith(terminator))
                {
                    _pos += terminator.Length;
                    return;
                }

                if (terminator.Length == 3 && here.StartsWith("--"u8))
                {
                    throw Malformed("'--' is not allowed inside a comment");
                }

                _pos++;
            }
            else if (b >= 0x80 || b < 0x20)
            {
                Ensure(4);
                SkipSpecialCharacter(_end);
            }
            else
            {
                _pos++;
            }
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available from the cursor, unless the input ends first.</summary>
    private bool Ensure(int count)
    {
        while (_end - _pos < count)
        {
            if (!Fill())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads more input, keeping the bytes from the token start (moved to the buffer's start). False at the end of the input.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }

        if (_tokenStart > 0)
        {
            _linesBefore += _buffer.AsSpan(0, _tokenStart).Count((byte)'\n');
            _buffer.AsSpan(_tokenStart, _end - _tokenStart).CopyTo(_buffer);
            _pos -= _tokenStart;
            _end -= _tokenStart;
            _tokenStart = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxTokenBytes)
            {
                throw Malformed($"a token is longer than {_maxTokenBytes} bytes");
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxTokenBytes));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _bytesRead += read;
        if (_bytesRead > _maxDocumentBytes)
        {
            throw new ReportRejectedException($"the XML document is larger than {_maxDocumentBytes} bytes");
        }

        _end += read;
        return true;
    }

    private ReportRejectedException Malformed(string reason)
    {
        var line = _linesBefore + _buffer.AsSpan(0, Math.Clamp(_pos, 0, _end)).Count((byte)'\n') + 1;
        return new ReportRejectedException($"malformed XML: {reason} (line {line})");
    }

    private readonly record struct Namespace(byte[] Prefix, string Uri, int Depth);

    /// <summary>Legacy code pages (windows-1252 from AOL, GB2312…), registered once on first use.</summary>
    private static class LegacyEncodings
    {
        static LegacyEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        public static Encoding Get(string name) => Encoding.GetEncoding(name);
    }
}
