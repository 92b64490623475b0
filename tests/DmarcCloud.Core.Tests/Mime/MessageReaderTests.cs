using System.Text;
using DmarcCloud.Core.Mime;

namespace DmarcCloud.Core.Tests.Mime;

public class MessageReaderTests
{
    [Theory]
    [InlineData("a\nb\n", "a\r\nb\r\n")]
    [InlineData("a\r\nb\n", "a\r\nb\r\n")]
    [InlineData("\n\n", "\r\n\r\n")]
    [InlineData("a\rb", "a\rb")] // lone CR is left alone
    [InlineData("", "")]
    public void Bare_lf_becomes_crlf(string input, string expected) =>
        Assert.Equal(expected, Encoding.Latin1.GetString(MessageReader.ToCrLf(Encoding.Latin1.GetBytes(input))));

    [Fact]
    public void Raw_header_bytes_are_kept_with_crlf()
    {
        var message = MessageReader.Parse(Encoding.ASCII.GetBytes("Subject:  folded\n  value \nFrom: a@example.com\n\nbody\n"));

        var subject = message.Headers[MimeKit.HeaderId.Subject];
        Assert.NotNull(subject);
        Assert.Equal("  folded\r\n  value \r\n", Encoding.ASCII.GetString(message.Headers.First(h => h.Id == MimeKit.HeaderId.Subject).RawValue));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n\n")]
    [InlineData("no header block at all, just text")]
    [InlineData("\u0001\u0002\u00ff\u0000binary\r\r\r")]
    [InlineData("From: a@example.com\nContent-Type: multipart/mixed; boundary=x\n\n--x\nunterminated")]
    public void Bad_input_parses_without_throwing(string input)
    {
        var message = MessageReader.Parse(Encoding.Latin1.GetBytes(input));
        Assert.NotNull(message);
    }

    [Fact]
    public void Stream_overload_reads_the_same_message()
    {
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\nSubject: x\n\nhello\n");
        using var stream = new MemoryStream(raw);

        Assert.Equal(MessageReader.Parse(raw).Subject, MessageReader.Parse(stream).Subject);
    }
}
