using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Rfc5322;

namespace DmarcCloud.Core.Tests.Rfc5322;

public class Rfc5322LexerTests
{
    [Theory]
    [InlineData("no comment", "no comment")]
    [InlineData("a (comment) b", "a   b")]
    [InlineData("a(comment)b", "a b")] // a comment separates tokens (§3.2.2)
    [InlineData("a (outer (inner) still outer) b", "a   b")]
    [InlineData(@"a (escaped \) paren) b", "a   b")] // a quoted-pair cannot end the comment (§3.2.1)
    [InlineData(@"a (escaped \( paren) b", "a   b")]
    [InlineData("\"quoted (not a comment)\" b", "\"quoted (not a comment)\" b")]
    [InlineData("\"quoted \\\" (still quoted)\" (gone)", "\"quoted \\\" (still quoted)\"  ")] // \" does not end the quoted string
    [InlineData("a (unclosed", "a ")]
    [InlineData("a ) b", "a ) b")]
    public void StripComments_follows_RFC_5322(string value, string expected) =>
        Assert.Equal(expected, Rfc5322Lexer.StripComments(value));

    [Theory]
    [InlineData("a;b;;c", ';', false, new[] { "a", "b", "", "c" })]
    [InlineData("\"x;y\";z", ';', false, new[] { "\"x;y\"", "z" })]
    [InlineData("\"x\\\";y\";z", ';', false, new[] { "\"x\\\";y\"", "z" })] // \" does not end the quoted string
    [InlineData("a <b,c>, d", ',', true, new[] { "a <b,c>", " d" })]
    [InlineData("a <b,c>, d", ',', false, new[] { "a <b", "c>", " d" })]
    public void SplitOutsideQuotes_keeps_quoted_strings_and_optionally_angle_addresses_whole(string value, char separator, bool angle, string[] expected) =>
        Assert.Equal(expected, Rfc5322Lexer.SplitOutsideQuotes(value, separator, angle));

    [Fact]
    public void Deeply_nested_comments_are_removed_whole()
    {
        var value = new string('(', 100_000) + new string(')', 100_000) + "x";
        Assert.Equal(" x", Rfc5322Lexer.StripComments(value));
    }

    [Fact]
    public void The_from_field_and_authentication_results_read_comments_the_same_way()
    {
        // Before one lexer, Authentication-Results ended a comment at an escaped parenthesis and read the rest of the
        // comment as properties (here smtp.mailfrom=evil.example).
        var from = AuthorDomain.Parse(@"Alice (at \) bob@evil.example) <alice@example.com>");
        var (authServId, results) = AuthenticationResultsParser.Parse(@"mx.example.net (the \) relay); spf=pass (ok \) smtp.mailfrom=evil.example) smtp.mailfrom=example.com");

        Assert.Equal(["example.com"], from.Domains);
        Assert.Equal("mx.example.net", authServId);
        var spf = Assert.Single(results);
        Assert.Equal("pass", spf.Result);
        Assert.Equal("example.com", spf.Properties["smtp.mailfrom"]);
    }
}
