using System.Security.Cryptography;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Mime;

namespace DmarcCloud.Core.Tests.Mime;

/// <summary>
/// <see cref="RawMessage"/> (the evaluation path's header split) reads the same top-level fields as MimeKit's parser
/// and a body whose DKIM hashes equal those of MimeKit's re-serialized body, for every message in the test data and
/// for the malformed shapes MimeKit reads in its own way.
/// </summary>
public class RawMessageTests
{
    public static TheoryData<string> Messages =>
        [.. Directory.EnumerateFiles(TestFiles.PathOf(), "*.eml", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(TestFiles.PathOf(), p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Reads_the_fields_and_body_hashes_MimeKit_reads(string file) => AssertSameAsMimeKit(TestFiles.Bytes(file));

    [Theory]
    [InlineData("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n")]
    [InlineData("From: a@example.com\nSubject: folded\n  value\n\nbody\nmore\n\n\n")] // bare LF
    [InlineData("From a@b Mon Jan  1 00:00:00 2026\r\nFrom: a@example.com\r\n\r\nbody\r\n")] // mbox separator first
    [InlineData("From: a@example.com\r\nTo: b@example.com")] // no header end, no final line end
    [InlineData("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\npreamble\r\n--b\r\nContent-Type: text/plain\r\n\r\npart\r\n--b--\r\nepilogue\r\n")]
    [InlineData("\r\nbody only\r\n")]
    public void Reads_crafted_shapes_as_MimeKit_does(string message) => AssertSameAsMimeKit(Encoding.ASCII.GetBytes(message));

    [Theory]
    [InlineData("not a header line\r\nFrom: a@example.com\r\n\r\nbody\r\n")]
    [InlineData(" leading white space\r\nFrom: a@example.com\r\n\r\nbody\r\n")]
    [InlineData("")]
    public void Input_without_a_header_block_is_an_empty_message_as_in_MimeKit(string message)
    {
        var raw = RawMessage.Parse(Encoding.ASCII.GetBytes(message));
        Assert.Empty(raw.Headers);
        Assert.True(raw.Body.IsEmpty);
        Assert.Empty(MessageReader.Parse(Encoding.ASCII.GetBytes(message)).From); // MimeKit: a new, empty message
    }

    [Fact]
    public void A_line_that_is_not_a_field_is_skipped_and_does_not_end_the_header_block()
    {
        var raw = RawMessage.Parse(Encoding.ASCII.GetBytes("From: a@example.com\r\ngarbage line\r\nTo: b@example.com\r\n\r\nbody\r\n"));
        Assert.Equal(["From", "To"], raw.Headers.Select(h => h.Field));
        Assert.Equal("body\r\n", Encoding.ASCII.GetString(raw.Body.Span));
    }

    private static void AssertSameAsMimeKit(byte[] bytes)
    {
        var mime = MessageReader.Parse(bytes);
        var raw = RawMessage.Parse(bytes);
        var expected = DkimHasher.AllHeaders(mime).Where(h => IsFieldName(h.Field)).Select(h => (h.Field, Encoding.Latin1.GetString(h.RawValue).TrimEnd('\r', '\n')));
        var actual = raw.Headers.Select(h => (h.Field, Encoding.Latin1.GetString(h.RawValue).TrimEnd('\r', '\n')));
        Assert.Equal(expected, actual);

        using var fromMime = new DkimHasher(mime);
        using var fromRaw = new DkimHasher(raw);
        foreach (var canonicalization in new[] { DkimCanonicalization.Simple, DkimCanonicalization.Relaxed })
        {
            Assert.Equal(
                Convert.ToBase64String(fromMime.HashBody(canonicalization, HashAlgorithmName.SHA256, null).Hash),
                Convert.ToBase64String(fromRaw.HashBody(canonicalization, HashAlgorithmName.SHA256, null).Hash));
        }
    }

    /// <summary>MimeKit also keeps lines that are not fields (as invalid headers); no DKIM h= can name them.</summary>
    private static bool IsFieldName(string field) => field.Length > 0 && field.All(c => c is > ' ' and < '\x7F' and not ':');
}
