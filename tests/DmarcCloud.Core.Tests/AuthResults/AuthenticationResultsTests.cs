using System.Text;
using DmarcCloud.Core.AuthResults;
using MimeKit.Cryptography;

namespace DmarcCloud.Core.Tests.AuthResults;

public class AuthenticationResultsTests
{
    private static AuthenticationResultEntry Entry(string method, string result, string? comment = null, params (string, string)[] properties) =>
        new(method, result, properties.ToDictionary(p => p.Item1, p => p.Item2)) { Comment = comment };

    [Fact]
    public void Writer_output_is_read_back_by_mimekit_with_the_same_values()
    {
        var field = AuthenticationResultsWriter.Field("mx.example.net", [
            Entry("spf", "pass", null, ("smtp.mailfrom", "bounce@example.com")),
            Entry("dkim", "fail", "body hash did not verify", ("header.d", "example.com"), ("header.s", "sel 1")),
            Entry("dmarc", "fail", "p=reject dis=reject", ("header.from", "example.com"), ("policy.dmarc", "reject")),
        ]);

        var parsed = AuthenticationResults.Parse(Encoding.UTF8.GetBytes(field[(AuthenticationResultsWriter.FieldName.Length + 1)..]));

        Assert.Equal("mx.example.net", parsed.AuthenticationServiceIdentifier);
        Assert.Equal(["spf", "dkim", "dmarc"], parsed.Results.Select(r => r.Method));
        Assert.Equal(["pass", "fail", "fail"], parsed.Results.Select(r => r.Result));
        var dkim = parsed.Results[1];
        Assert.Equal("sel 1", dkim.Properties.Single(p => p.Property == "s").Value);
        Assert.Equal("body hash did not verify", dkim.ResultComment);
    }

    [Theory]
    [InlineData("example.com", "header.d=example.com")]
    [InlineData("user@example.com", "header.d=user@example.com")]
    [InlineData("a;b", "header.d=\"a;b\"")]
    [InlineData("say \"hi\"", "header.d=\"say \\\"hi\\\"\"")]
    public void Property_values_are_tokens_or_quoted_strings(string value, string expected) =>
        Assert.EndsWith(expected, AuthenticationResultsWriter.ResInfo(Entry("dkim", "pass", null, ("header.d", value))), StringComparison.Ordinal);

    [Fact]
    public void Comments_stay_on_one_line_with_no_unbalanced_parentheses() =>
        Assert.Equal("spf=fail (a 'b'  c) smtp.helo=h", AuthenticationResultsWriter.ResInfo(Entry("spf", "fail", "a (b)\r\nc\n", ("smtp.helo", "h"))));

    [Fact]
    public void No_results_is_written_as_none() =>
        Assert.Equal("Authentication-Results: mx.example.net; none", AuthenticationResultsWriter.Field("mx.example.net", []));

    [Fact]
    public void Parser_reads_what_the_writer_wrote()
    {
        var field = AuthenticationResultsWriter.Field("mx.example.net", [
            Entry("dkim", "pass", "2048-bit key", ("header.d", "example.com"), ("header.i", "@example.com")),
            Entry("arc", "fail", "i=2"),
        ]);

        var (authServId, results) = AuthenticationResultsParser.Parse(field);

        Assert.Equal("mx.example.net", authServId);
        Assert.Equal("dkim", results[0].Method);
        Assert.Equal("@example.com", results[0].Property("header.i"));
        Assert.Equal(("arc", "fail"), (results[1].Method, results[1].Result));
    }

    [Fact]
    public void Parser_skips_the_arc_instance_tag_and_ignores_semicolons_inside_quotes_and_comments()
    {
        var (authServId, results) = AuthenticationResultsParser.Parse(
            "i=1; lists.example.org; dkim=pass (good; really) header.d=\"a;b.example\"; spf=softfail smtp.mailfrom=x@y.example");

        Assert.Equal("lists.example.org", authServId);
        Assert.Equal(["dkim", "spf"], results.Select(r => r.Method));
        Assert.Equal("a;b.example", results[0].Property("header.d"));
        Assert.Equal("softfail", results[1].Result);
    }
}
