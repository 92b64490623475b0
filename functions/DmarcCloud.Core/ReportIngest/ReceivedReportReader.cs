using System.Buffers.Binary;
using System.IO.Compression;
using MimeKit;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Reads DMARC reports from whatever arrives: aggregate report XML, gzip, zip, a mail with reports attached (any
/// content type or transfer encoding, several attachments), a failure report mail, or an mbox of such mails. The
/// kind is decided from the bytes, never from a file name or a declared content type.
/// </summary>
/// <remarks>
/// RFC 7489 §7.2.1.1 / RFC 9990 §4.3: reports travel gzip- or zip-compressed, attached to mail (<c>application/gzip</c>,
/// <c>application/zip</c>; in practice also <c>application/octet-stream</c> and others). Limits from
/// <see cref="ReportIngestOptions"/>: the input size and zip entry count are checked before any decompression;
/// decompressed size, expansion ratio and time while streaming. Names of zip entries are never used.
/// </remarks>
public static class ReceivedReportReader
{
    /// <summary>Reads <paramref name="input"/>. A seekable stream (a file) is read in place; any other is buffered up to the input limit.</summary>
    public static ReceivedReportFile Read(Stream input, ReportIngestOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(input, options, null, cancellationToken);

    /// <summary>
    /// Reads <paramref name="input"/>, handing the records of each aggregate report to the sink
    /// <paramref name="recordSinkFor"/> returns for the report's origin (called once per aggregate report document,
    /// before its first record) instead of keeping them: the reports' <c>Records</c> are then empty, and memory stays
    /// bounded by one record whatever the report's size. When an item is rejected part-way, its sink has seen the
    /// records before the fault; the caller discards them (the item's <see cref="ReceivedReport.Origin"/> names it).
    /// </summary>
    public static ReceivedReportFile Read(Stream input, ReportIngestOptions? options, Func<string, Action<AggregateRecord>?>? recordSinkFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= ReportIngestOptions.Default;
        var context = new Context(options, options.TimeProvider.GetTimestamp() + (long)(options.TimeLimit.TotalSeconds * options.TimeProvider.TimestampFrequency), cancellationToken, recordSinkFor);
        try
        {
            var stream = input;
            if (!input.CanSeek)
            {
                var buffer = new MemoryStream();
                CopyBounded(input, buffer, options.MaxInputBytes, "the input");
                buffer.Position = 0;
                stream = buffer;
            }

            var kind = Sniff(stream);
            if (kind != "xml" && stream.Length - stream.Position > options.MaxInputBytes)
            {
                return ReceivedReportFile.Unreadable(kind, $"the input is larger than {options.MaxInputBytes} bytes");
            }

            if (kind is "mail" or "mbox" && !(stream is MemoryStream memory && memory.TryGetBuffer(out _)))
            {
                // A mail or mbox file is read into memory once (at most MaxInputBytes): its header blocks are checked
                // before MimeKit reads any, and an mbox is split in place.
                var bytes = new byte[stream.Length - stream.Position];
                stream.ReadExactly(bytes);
                stream = new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true);
            }

            var items = new List<ReceivedReport>();
            switch (kind)
            {
                case "empty":
                    return ReceivedReportFile.Unreadable(kind, "the file is empty");
                case "xml" or "gzip" or "zip":
                    ReadPayload(stream, kind, "file", items, context, compressedLength: stream.Length - stream.Position);
                    break;
                case "mbox" or "mail" when HeaderBlockRefusal(WholeInput(stream), kind) is { } refusal:
                    return ReceivedReportFile.Unreadable(kind, refusal);
                case "mbox":
                    ReadMbox(WholeInput(stream), items, context);
                    break;
                case "mail":
                    ReadMail(MessageOf(stream), "mail", items, context);
                    break;
                default:
                    return ReceivedReportFile.Unreadable(kind, "not a DMARC report: neither XML, gzip, zip, a mail nor an mbox");
            }

            if (items.Count == 1 && !items[0].Success && kind is "xml" or "gzip" or "zip")
            {
                return ReceivedReportFile.Unreadable(kind, items[0].Error!);
            }

            return items.Count == 0
                ? ReceivedReportFile.Unreadable(kind, kind is "mail" or "mbox" ? "no DMARC report found in the mail" : "no report found")
                : new ReceivedReportFile(kind, items, null);
        }
        catch (ReportRejectedException ex)
        {
            return ReceivedReportFile.Unreadable("unknown", ex.Message);
        }
    }

    /// <summary>Reads <paramref name="bytes"/>.</summary>
    public static ReceivedReportFile Read(ReadOnlyMemory<byte> bytes, ReportIngestOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(bytes, options, null, cancellationToken);

    /// <summary>Reads <paramref name="bytes"/>, records to sinks (see <see cref="Read(Stream, ReportIngestOptions?, Func{string, Action{AggregateRecord}?}?, CancellationToken)"/>).</summary>
    public static ReceivedReportFile Read(ReadOnlyMemory<byte> bytes, ReportIngestOptions? options, Func<string, Action<AggregateRecord>?>? recordSinkFor, CancellationToken cancellationToken = default)
    {
        // Read in place when the bytes are an array segment (no copy of a large input); copied otherwise.
        var segment = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var array) ? array : new ArraySegment<byte>(bytes.ToArray());
        using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true);
        return Read(stream, options, recordSinkFor, cancellationToken);
    }

    /// <summary>Reads the reports a parsed mail carries (the inbound path has the message already).</summary>
    public static ReceivedReportFile ReadMessage(MimeMessage message, ReportIngestOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadMessage(message, options, null, cancellationToken);

    /// <summary>Reads the reports a parsed mail carries, records to sinks (see <see cref="Read(Stream, ReportIngestOptions?, Func{string, Action{AggregateRecord}?}?, CancellationToken)"/>).</summary>
    public static ReceivedReportFile ReadMessage(MimeMessage message, ReportIngestOptions? options, Func<string, Action<AggregateRecord>?>? recordSinkFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        options ??= ReportIngestOptions.Default;
        var context = new Context(options, options.TimeProvider.GetTimestamp() + (long)(options.TimeLimit.TotalSeconds * options.TimeProvider.TimestampFrequency), cancellationToken, recordSinkFor);
        var items = new List<ReceivedReport>();
        try
        {
            ReadMail(message, "mail", items, context);
        }
        catch (ReportRejectedException ex)
        {
            return ReceivedReportFile.Unreadable("mail", ex.Message);
        }

        return items.Count == 0 ? ReceivedReportFile.Unreadable("mail", "no DMARC report found in the mail") : new ReceivedReportFile("mail", items, null);
    }

    /// <summary>What the bytes at the stream's position are; the position is left unchanged.</summary>
    internal static string Sniff(Stream stream)
    {
        var start = stream.Position;
        Span<byte> head = stackalloc byte[512];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;
        return Sniff(head[..length]);
    }

    internal static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0)
        {
            return "empty";
        }

        if (head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            return "gzip";
        }

        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5 && head[3] is 4 or 6)
        {
            return "zip";
        }

        var text = head;
        while (text.Length >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF)
        {
            text = text[3..];
        }

        if (text.Length >= 2 && ((text[0] == 0xFF && text[1] == 0xFE) || (text[0] == 0xFE && text[1] == 0xFF)))
        {
            return "xml";
        }

        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        text = text[i..];
        if (text.Length == 0)
        {
            return "unknown";
        }

        if (text[0] == (byte)'<')
        {
            return "xml";
        }

        if (text.StartsWith("From "u8))
        {
            return "mbox";
        }

        // A header field: a name of printable characters without spaces, then a colon.
        var colon = text.IndexOf((byte)':');
        if (colon > 0)
        {
            var name = text[..colon];
            var ok = true;
            foreach (var b in name)
            {
                ok &= b is > 32 and < 127;
            }

            if (ok)
            {
                return "mail";
            }
        }

        return "unknown";
    }

    private static void ReadPayload(Stream stream, string kind, string origin, List<ReceivedReport> items, Context context, long compressedLength)
    {
        context.CheckTime();
        switch (kind)
        {
            case "xml":
                items.Add(ParseXml(stream, origin, context));
                break;
            case "gzip":
                items.Add(ReadGzip(stream, origin, context));
                break;
            case "zip":
                ReadZip(stream, origin, items, context);
                break;
            default:
                items.Add(ReceivedReport.Rejected(origin, $"{origin} is not a report (neither XML, gzip nor zip)"));
                break;
        }
    }

    private static ReceivedReport ParseXml(Stream stream, string origin, Context context)
    {
        var result = AggregateReportParser.Parse(stream, context.RecordSinkFor?.Invoke(origin), context.Options, context.CancellationToken);
        return result.Success
            ? new ReceivedReport(origin, result.Value, null, null)
            : ReceivedReport.Rejected(origin, result.Error!);
    }

    private static ReceivedReport ReadGzip(Stream stream, string origin, Context context)
    {
        var compressed = new CountingStream(stream);
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        using var bounded = BoundedStream.Create(gzip, context.Options, () => compressed.BytesRead, context.Deadline, $"{origin} (gzip)");
        try
        {
            return ParseXml(bounded, origin, context);
        }
        catch (InvalidDataException ex)
        {
            return ReceivedReport.Rejected(origin, $"{origin} is not valid gzip: {ex.Message}");
        }
    }

    private static void ReadZip(Stream stream, string origin, List<ReceivedReport> items, Context context)
    {
        var entries = CountZipEntries(stream);
        if (entries is null)
        {
            items.Add(ReceivedReport.Rejected(origin, $"{origin} is not a valid zip archive (no end-of-central-directory record)"));
            return;
        }

        if (entries > context.Options.MaxArchiveEntries)
        {
            items.Add(ReceivedReport.Rejected(origin, $"{origin}: the zip archive lists {(entries == ushort.MaxValue ? "65535 or more" : entries.ToString())} entries; at most {context.Options.MaxArchiveEntries} are read"));
            return;
        }

        ZipArchive archive;
        IReadOnlyCollection<ZipArchiveEntry> archiveEntries;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            items.Add(ReceivedReport.Rejected(origin, $"{origin} is not a valid zip archive: {ex.Message}"));
            return;
        }

        using (archive)
        {
            try
            {
                // The central directory is read here, not in the constructor: a directory that contradicts its end
                // record throws here (found by the ingest fuzz target).
                archiveEntries = archive.Entries;
            }
            catch (InvalidDataException ex)
            {
                items.Add(ReceivedReport.Rejected(origin, $"{origin} is not a valid zip archive: {ex.Message}"));
                return;
            }

            var index = 0;
            var found = 0;
            foreach (var entry in archiveEntries)
            {
                index++;
                var entryOrigin = $"{origin} (zip entry {index})";
                if (entry.FullName.EndsWith('/') && entry.Length == 0)
                {
                    continue;
                }

                if (entry.Length > context.Options.MaxDecompressedBytes)
                {
                    items.Add(ReceivedReport.Rejected(entryOrigin, $"{entryOrigin} declares {entry.Length} bytes, more than the {context.Options.MaxDecompressedBytes} byte limit"));
                    continue;
                }

                if (++found > context.Options.MaxReportsPerContainer)
                {
                    items.Add(ReceivedReport.Rejected(entryOrigin, $"more than {context.Options.MaxReportsPerContainer} reports in one archive"));
                    break;
                }

                try
                {
                    var compressedLength = Math.Max(1, entry.CompressedLength);
                    using var raw = entry.Open();
                    using var bounded = BoundedStream.Create(raw, context.Options, () => compressedLength, context.Deadline, entryOrigin);
                    var head = new byte[512];
                    var read = bounded.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
                    var kind = Sniff(head.AsSpan(0, read));
                    var whole = new PrefixedStream(head.AsMemory(0, read), bounded);
                    if (kind == "xml")
                    {
                        items.Add(ParseXml(whole, entryOrigin, context));
                    }
                    else if (kind == "gzip")
                    {
                        items.Add(ReadGzip(whole, entryOrigin, context));
                    }
                    else
                    {
                        items.Add(ReceivedReport.Rejected(entryOrigin, $"{entryOrigin} is not XML ({kind})"));
                    }
                }
                catch (InvalidDataException ex)
                {
                    items.Add(ReceivedReport.Rejected(entryOrigin, $"{entryOrigin} is corrupt: {ex.Message}"));
                }
                catch (ReportRejectedException ex)
                {
                    items.Add(ReceivedReport.Rejected(entryOrigin, ex.Message));
                }
            }
        }
    }

    /// <summary>
    /// The entry count from the end-of-central-directory record (APPNOTE 4.3.16), read before the archive is opened
    /// so that a huge central directory is never loaded. 65535 means "see ZIP64", i.e. too many. Null when absent.
    /// </summary>
    internal static int? CountZipEntries(Stream stream)
    {
        var start = stream.Position;
        var length = stream.Length - start;
        var tail = (int)Math.Min(length, 22 + 65535);
        var buffer = new byte[tail];
        stream.Position = start + length - tail;
        stream.ReadExactly(buffer);
        stream.Position = start;
        for (var i = buffer.Length - 22; i >= 0; i--)
        {
            if (buffer[i] == 0x50 && buffer[i + 1] == 0x4B && buffer[i + 2] == 0x05 && buffer[i + 3] == 0x06)
            {
                var total = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10, 2));
                return total;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads an mbox: split by our own linear scan (<see cref="MboxSplitter"/>), each mail screened for anything a report
    /// could be made of (<see cref="ReportMailScreen"/>) before MimeKit parses it. A mail that cannot carry a report is
    /// recorded as such without a MIME parse; MimeKit builds about 6.5 KB of objects per mail, so an mbox of thousands
    /// of one-line mails cost hundreds of MiB through it (docs/fuzzing.md).
    /// </summary>
    private static void ReadMbox(ReadOnlyMemory<byte> mbox, List<ReceivedReport> items, Context context)
    {
        MimeParser? parser = null; // one parser for every mail: a new one costs 5 KB of buffers
        var index = 0;
        foreach (var mail in new MboxSplitter(mbox))
        {
            context.CheckTime();
            index++;
            if (index > context.Options.MaxMessagesPerMbox)
            {
                items.Add(ReceivedReport.Rejected($"message {index}", $"more than {context.Options.MaxMessagesPerMbox} messages in one mbox; the rest was not read"));
                return;
            }

            var before = items.Count;
            if (ReportMailScreen.MayCarryReport(mbox.Span.Slice(mail.Start, mail.Length)))
            {
                if (Mime.MessageLimitsCheck.Check(mbox.Span.Slice(mail.Start, mail.Length), MailLimits) is { } refusal)
                {
                    items.Add(ReceivedReport.Rejected($"message {index}", $"message {index}: {refusal}"));
                    continue;
                }

                var segment = mbox.Slice(mail.Start, mail.Length);
                using var one = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(segment, out var array)
                    ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
                    : new MemoryStream(segment.ToArray(), writable: false);
                parser ??= new MimeParser(MimeOptions(), one, MimeFormat.Entity, persistent: false);
                parser.SetStream(one, MimeFormat.Entity, persistent: false);
                MimeMessage message;
                try
                {
                    message = parser.ParseMessage(context.CancellationToken);
                }
                catch (FormatException)
                {
                    message = new MimeMessage(); // no header block: nothing to read (as for a single mail)
                }

                ReadMail(message, $"message {index}", items, context);
            }

            if (items.Count == before)
            {
                items.Add(ReceivedReport.Rejected($"message {index}", $"message {index} carries no DMARC report"));
            }
        }
    }

    /// <summary>The rest of a buffered input (<see cref="Read(Stream, ReportIngestOptions?, CancellationToken)"/> buffers a mail or mbox file first), in place.</summary>
    private static ReadOnlyMemory<byte> WholeInput(Stream stream)
    {
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return buffer.AsMemory((int)memory.Position);
        }

        throw new InvalidOperationException("a mail or mbox input is buffered before it is read");
    }

    /// <summary>
    /// The header limits of mail on the evaluation path (<see cref="Mime.MessageLimits"/>: header block size, field
    /// count and size, From size) for every mail MimeKit reads here; the size of the whole mail is bounded by
    /// <see cref="ReportIngestOptions.MaxInputBytes"/> instead. MimeKit allocates about 290 bytes per header field: a
    /// mail of 200,000 one-line fields cost 58 MiB (found by the ingest fuzz target).
    /// </summary>
    private static readonly Mime.MessageLimits MailLimits = new() { MaxMessageBytes = int.MaxValue };

    /// <summary>
    /// Why a mail or mbox is refused before MimeKit reads it: a header block (the mail's, a part's, an attached
    /// message's) with a field over <see cref="Mime.MessageLimits.MaxHeaderFieldBytes"/>, whose cost in MimeKit is its
    /// length squared (<see cref="Mime.MessageLimitsCheck.CheckHeaderBlocks"/>, one linear pass; a file is
    /// buffered first); and for a single mail the top-level header limits (<see cref="MailLimits"/>).
    /// </summary>
    private static string? HeaderBlockRefusal(ReadOnlyMemory<byte> input, string kind) =>
        Mime.MessageLimitsCheck.CheckHeaderBlocks(input.Span, Mime.MessageLimits.Default)
        ?? (kind == "mail" ? Mime.MessageLimitsCheck.Check(input.Span, MailLimits) : null);

    /// <summary>MimeKit's options: MIME nesting followed at most <see cref="Mime.MessageLimits.MaxMimeDepth"/> deep.</summary>
    private static ParserOptions MimeOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.MaxMimeDepth = Mime.MessageLimits.Default.MaxMimeDepth;
        return options;
    }

    private static MimeMessage MessageOf(Stream stream)
    {
        // Mail on disk often has bare LF; MimeKit reads either. Never throws on junk (an empty message at worst).
        var parser = new MimeParser(MimeOptions(), stream, MimeFormat.Entity, persistent: false);
        try
        {
            return parser.ParseMessage();
        }
        catch (FormatException)
        {
            return new MimeMessage();
        }
    }

    private static void ReadMail(MimeMessage message, string origin, List<ReceivedReport> items, Context context)
    {
        if (FailureReportParser.ParseArf(message, context.Options) is { } arf)
        {
            items.Add(new ReceivedReport(origin, null, arf, null));
            return;
        }

        var index = 0;
        var found = 0;
        var mailStart = items.Count;
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            context.CheckTime();
            index++;
            var partOrigin = $"{origin} / part {index}";
            using var content = new MemoryStream();
            try
            {
                if (part.Content is null)
                {
                    continue;
                }

                if (!MimeContentDecoder.DecodeTo(part.Content, content, context.Options.MaxInputBytes))
                {
                    throw new ReportRejectedException($"{partOrigin} is larger than {context.Options.MaxInputBytes} bytes");
                }
            }
            catch (FormatException)
            {
                continue;
            }

            content.Position = 0;
            var kind = Sniff(content);
            if (kind is "gzip" or "zip" || (kind == "xml" && LooksLikeFeedbackXml(content)))
            {
                // Reports inside attached archives count too: 64 zips of 64 entries each would be 4,096 XML parses for
                // one mail (each costs a reader's buffers: about 200 KB, whatever the report's size).
                if (++found > context.Options.MaxReportsPerContainer || items.Count - mailStart >= context.Options.MaxReportsPerContainer)
                {
                    items.Add(ReceivedReport.Rejected(partOrigin, $"more than {context.Options.MaxReportsPerContainer} reports in one mail"));
                    return;
                }

                var before = items.Count;
                ReadPayload(content, kind, partOrigin, items, context, content.Length);
                if (kind == "zip" && items.Count == before)
                {
                    items.Add(ReceivedReport.Rejected(partOrigin, $"{partOrigin}: the zip archive holds no report"));
                }
            }
        }

        if (found == 0 && FailureReportParser.ParseText(message, context.Options) is { } text)
        {
            items.Add(new ReceivedReport(origin, null, text, null));
        }
    }

    /// <summary>Whether an XML part is an aggregate report rather than an XHTML body or other XML.</summary>
    private static bool LooksLikeFeedbackXml(MemoryStream content)
    {
        var span = content.GetBuffer().AsSpan(0, (int)Math.Min(content.Length, 4096));
        return span.IndexOf("<feedback"u8) >= 0 || span.IndexOf(":feedback"u8) >= 0;
    }

    private static void CopyBounded(Stream source, Stream destination, long max, string what)
    {
        // Pooled: this runs once per MIME part, and an mbox of thousands of one-line mails made a fresh 80 KB buffer
        // the whole cost (100 KB allocated per 47-byte mail, found by the ingest fuzz target).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long total = 0;
            int read;
            while ((read = source.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > max)
                {
                    throw new ReportRejectedException($"{what} is larger than {max} bytes");
                }

                destination.Write(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed record Context(ReportIngestOptions Options, long Deadline, CancellationToken CancellationToken, Func<string, Action<AggregateRecord>?>? RecordSinkFor)
    {
        public void CheckTime()
        {
            CancellationToken.ThrowIfCancellationRequested();
            if (Options.TimeProvider.GetTimestamp() > Deadline)
            {
                throw new ReportRejectedException($"reading took longer than the {Options.TimeLimit.TotalSeconds:0} s limit");
            }
        }
    }
}
