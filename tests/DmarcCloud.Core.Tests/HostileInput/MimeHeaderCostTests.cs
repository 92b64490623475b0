using System.IO.Compression;
using System.Net;
using System.Text;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.ReportIngest;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Tests.Reporting;

namespace DmarcCloud.Core.Tests.HostileInput;

/// <summary>
/// The open findings of docs/fuzzing.md, one test per class, each bounding allocation (not time). MimeKit grows its
/// header buffer 64 bytes per folded line, so a field's cost is its length squared, including inside nested parts that
/// the top-level limits do not see; aggregate reports were inflated whole into memory before validation.
/// </summary>
public class MimeHeaderCostTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.1");

    /// <summary>A field of about <paramref name="bytes"/> folded into 3-byte lines.</summary>
    private static string FoldedField(int bytes)
    {
        var sb = new StringBuilder("X-Folded: x");
        while (sb.Length < bytes)
        {
            sb.Append("\r\n y");
        }

        return sb.Append("\r\n").ToString();
    }

    /// <summary>A message within every top-level limit, whose attached message has one folded field of <paramref name="fieldBytes"/>.</summary>
    private static byte[] NestedFoldedField(int fieldBytes) => Encoding.ASCII.GetBytes(
        "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
        + FoldedField(fieldBytes) + "From: c@example.org\r\n\r\nbody\r\n--b--\r\n");

    [Fact]
    public async Task A_folded_field_inside_an_attached_message_costs_linear_allocation_in_evaluation()
    {
        // Before (MimeKit parsed the whole message): about 300 MiB for this 200 KB message.
        var raw = NestedFoldedField(200_000);
        Assert.Null(MessageLimitsCheck.Check(raw, MessageLimits.Default)); // the top-level limits do not see it
        var evaluator = new MessageEvaluator(new DnsZone());
        var envelope = new SmtpEnvelope(Client, "mx.example", "a@example.com", ["r@example.net"], DateTimeOffset.UnixEpoch);
        await evaluator.EvaluateAsync(envelope, raw);
        var (bytes, verdict) = Allocation.Of(() => evaluator.EvaluateAsync(envelope, raw));
        Assert.Equal("example.com", verdict.HeaderFrom);
        Assert.True(bytes < 4L * raw.Length, $"allocated {bytes} bytes for a {raw.Length}-byte message");
    }

    [Fact]
    public void A_folded_top_level_field_is_split_in_linear_allocation()
    {
        // RawMessage copies each field once; MimeKit's parser allocated 8 MiB for this 32 KiB field.
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\r\n" + FoldedField(32 * 1024) + "\r\nbody\r\n");
        var bytes = Allocation.Of(() => RawMessage.Parse(raw));
        var message = RawMessage.Parse(raw);
        Assert.Equal(["From", "X-Folded"], message.Headers.Select(h => h.Field));
        Assert.Equal("body\r\n", Encoding.ASCII.GetString(message.Body.Span));
        Assert.True(bytes < 3L * raw.Length, $"allocated {bytes} bytes for {raw.Length}");
    }

    [Fact]
    public void MessageReader_keeps_a_body_with_an_over_long_nested_field_as_one_opaque_part()
    {
        // Before: about 300 MiB (MimeKit parsed the attached message's header block).
        var raw = NestedFoldedField(200_000);
        Assert.NotNull(MessageLimitsCheck.CheckHeaderBlocks(raw, MessageLimits.Default));
        var bytes = Allocation.Of(() => MessageReader.Parse(raw));
        var message = MessageReader.Parse(raw);
        Assert.Equal("a@example.com", message.From.Mailboxes.Single().Address);
        Assert.True(bytes < 8L * raw.Length, $"allocated {bytes} bytes for {raw.Length}");
    }

    [Fact]
    public void MessageReader_keeps_a_body_opaque_when_a_part_header_not_shaped_like_a_field_is_folded_over_the_limit()
    {
        // Found by the mime fuzz target (2026-12-02): "Content-Type.org; cv=none;" after a boundary line is not shaped
        // like a field, but MimeKit reads it as one (an invalid field) with every folded line after it; 60 KB cost 23 MB.
        var folded = new StringBuilder("--b\r\nContent-Type.org; cv=none;\r\n");
        while (folded.Length < 100_000)
        {
            folded.Append("        h=Subject:To:From; bh=4ET7siw2kYV7jcN+fzsuYng=; b=Z\r\n");
        }

        var raw = Encoding.ASCII.GetBytes(
            "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" + folded + "\r\nbody\r\n--b--\r\n");
        Assert.Null(MessageLimitsCheck.Check(raw, MessageLimits.Default));
        Assert.NotNull(MessageLimitsCheck.CheckHeaderBlocks(raw, MessageLimits.Default));
        var bytes = Allocation.Of(() => MessageReader.Parse(raw));
        Assert.Equal("a@example.com", MessageReader.Parse(raw).From.Mailboxes.Single().Address);
        Assert.True(bytes < 8L * raw.Length, $"allocated {bytes} bytes for {raw.Length}");
    }

    [Fact]
    public void MessageReader_still_parses_parts_when_their_fields_are_within_the_limit()
    {
        var raw = NestedFoldedField(4_000);
        Assert.Null(MessageLimitsCheck.CheckHeaderBlocks(raw, MessageLimits.Default));
        var message = MessageReader.Parse(raw);
        Assert.IsType<MimeKit.MessagePart>(message.BodyParts.Single());
    }

    [Fact]
    public void Report_ingest_refuses_a_mail_with_an_over_long_nested_field_with_the_reason()
    {
        var raw = NestedFoldedField(200_000);
        var bytes = Allocation.Of(() => ReceivedReportReader.Read(raw));
        var file = ReceivedReportReader.Read(raw);
        Assert.Contains(nameof(MessageLimits.MaxHeaderFieldBytes), file.Error, StringComparison.Ordinal);
        Assert.True(bytes < 8L * raw.Length, $"allocated {bytes} bytes for {raw.Length}");
    }

    [Fact]
    public void Report_validation_of_an_xml_declaration_with_invalid_bytes_is_an_error_not_an_exception()
    {
        // Before: ArgumentOutOfRangeException from XmlTextReaderImpl.ReadData (found by the report fuzz target).
        byte[] xml = [.. "<?xml version=\"1.0"u8, 0xFE, 0xB0, .. "aL"u8, 0xB0, .. "zx"u8, 0x82, 0xFA, .. ".(\" encoding=\"UTF-8\" ?>\n<fe"u8];
        var validation = Schemas.Validator.Validate(xml);
        Assert.Null(validation.Refused);
        Assert.Contains(validation.Rfc9990Errors, e => e.StartsWith("Not well-formed XML", StringComparison.Ordinal));
        Assert.Contains(validation.Rfc7489Errors, e => e.StartsWith("Not well-formed XML", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_validation_streams_the_inflated_xml_instead_of_holding_it()
    {
        // Before: a 20 MB report inflated into one MemoryStream (about 40 MB allocated before any validation).
        var record = "<record><row><source_ip>192.0.2.1</source_ip><count>1</count></row></record>";
        var xml = "<feedback>" + string.Concat(Enumerable.Repeat(record, 20_000_000 / record.Length)) + "</feedback>";
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Encoding.ASCII.GetBytes(xml));
        }

        var file = compressed.ToArray();
        var limits = new ReportLimits { MaxCompressionRatio = int.MaxValue }; // repeated rows compress far better than reports
        var (bytes, validation) = Allocation.Of(() => Task.FromResult(Schemas.Validator.Validate(file, limits)));
        Assert.Null(validation.Refused);
        Assert.NotEmpty(validation.Rfc9990Errors); // not a valid report: rows without the required elements
        Assert.True(bytes < 16L * 1024 * 1024, $"allocated {bytes} bytes for {xml.Length} bytes of XML");
    }
}
