using System.Text;
using System.Xml;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Core.Tests.ReportIngest.Oracle;

/// <summary>
/// Opens report XML safely: no DTD, no resolver, bounded entity expansion and document size; leading BOMs and
/// whitespace before the XML declaration tolerated; UTF-8 decoded with replacement of invalid bytes (counted).
/// </summary>
/// <remarks>
/// RFC 7489 Appendix C and RFC 9990 Appendix A define plain XML with no DTD: a DOCTYPE is refused outright
/// (XXE, "billion laughs"). Legacy single-byte encodings named in the declaration (AOL's windows-1252) are honoured.
/// </remarks>
internal sealed class XmlReportInput : IDisposable
{
    private const int PrefixLength = 1024;

    static XmlReportInput() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private readonly CountingReplacementFallback? _fallback;
    private readonly TextReader? _text;

    private XmlReportInput(XmlReader reader, TextReader? text, CountingReplacementFallback? fallback)
    {
        Reader = reader;
        _text = text;
        _fallback = fallback;
    }

    public XmlReader Reader { get; }

    /// <summary>How many invalid byte sequences were replaced by U+FFFD.</summary>
    public int ReplacedSequences => _fallback?.Count ?? 0;

    public static XmlReportInput Open(Stream stream, ReportIngestOptions options, WarningList warnings)
    {
        var prefix = new byte[PrefixLength];
        var length = ReadAtLeast(stream, prefix);
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

        var utf16 = length - start >= 2 && ((prefix[start] == 0xFF && prefix[start + 1] == 0xFE) || (prefix[start] == 0xFE && prefix[start + 1] == 0xFF));
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersFromEntities = 4096,
            MaxCharactersInDocument = options.MaxDecompressedBytes,
            CloseInput = false,
        };

        if (utf16)
        {
            var whole = new PrefixedStream(prefix.AsMemory(start, length - start), stream);
            return new XmlReportInput(XmlReader.Create(whole, settings), null, null);
        }

        var ws = start;
        while (ws < length && prefix[ws] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            ws++;
        }

        if (ws > start && LooksLikeDeclaration(prefix.AsSpan(ws, length - ws)))
        {
            warnings.Add("whitespace before the XML declaration was ignored");
            start = ws;
        }

        if (boms > 1)
        {
            warnings.Add("more than one byte-order mark at the start was ignored");
        }

        var declared = DeclaredEncoding(prefix.AsSpan(start, length - start));
        var rest = new PrefixedStream(prefix.AsMemory(start, length - start), stream);
        CountingReplacementFallback? fallback = null;
        Encoding encoding;
        if (declared is null || declared.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || declared.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || declared.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            fallback = new CountingReplacementFallback();
            encoding = Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, fallback);
        }
        else
        {
            try
            {
                encoding = Encoding.GetEncoding(declared);
            }
            catch (ArgumentException)
            {
                throw new ReportRejectedException($"the XML declaration names an unknown encoding '{Truncate(declared)}'");
            }
        }

        var text = new StreamReader(rest, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        return new XmlReportInput(XmlReader.Create(text, settings), text, fallback);
    }

    public void Dispose()
    {
        Reader.Dispose();
        _text?.Dispose();
    }

    internal static string Truncate(string text, int max = 60) => text.Length <= max ? text : text[..max] + "…";

    private static bool LooksLikeDeclaration(ReadOnlySpan<byte> bytes) => bytes.StartsWith("<?xml"u8);

    private static string? DeclaredEncoding(ReadOnlySpan<byte> bytes)
    {
        if (!LooksLikeDeclaration(bytes))
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
        while (i < declaration.Length && declaration[i] is ' ' or '=' or '\t')
        {
            i++;
        }

        if (i >= declaration.Length || declaration[i] is not ('"' or '\''))
        {
            return null;
        }

        var quote = declaration[i];
        var close = declaration.IndexOf(quote, i + 1);
        return close < 0 ? null : declaration[(i + 1)..close].Trim();
    }

    private static int ReadAtLeast(Stream stream, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
