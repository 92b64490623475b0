using System.IO.Compression;
using System.Net;
using System.Text;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Dns;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;
using DmarcCloud.Core.Tests.Reporting;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Core.Tests.HostileInput;

/// <summary>
/// One regression test per class of hostile input in issue 14. Each asserts a defined result and a structural
/// bound (allocation as a multiple of the input); each failed on the code before the fix (noted per test).
/// </summary>
public class HostileInputRegressionTests
{
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.1");

    private static string LongHelo()
    {
        // A valid 250-character HELO name: four 61-character labels.
        var label = new string('h', 61);
        return $"{label}.{label}.{label}.{label}.com";
    }

    [Fact]
    public void Spf_macro_expansion_is_capped_and_a_permerror_says_why()
    {
        // Before: 500 %{h} macros and a 250-character HELO expanded to 125,000 characters, then were shortened one
        // label at a time with a copy each (about 2,000 copies, ~250 MB); the result was not a permerror.
        var record = "v=spf1 exists:" + string.Concat(Enumerable.Repeat("%{h}", 500)) + " -all";
        var zone = new DnsZone().AddTxt("hostile.example", new TxtRecord(record.Chunk(255).Select(c => new string(c)).ToArray()));
        var evaluator = new SpfEvaluator(zone);
        var (bytes, result) = Allocation.Of(() => evaluator.CheckMailFromAsync(Client, "user@hostile.example", LongHelo()));
        Assert.Equal(SpfResult.PermError, result.Result);
        Assert.Contains("MaxMacroExpansionLength", result.Explanation, StringComparison.Ordinal);
        Assert.True(bytes < 4_000_000, $"allocated {bytes} bytes");
    }

    [Fact]
    public async Task Spf_domain_spec_over_253_characters_is_cut_once_at_the_right_label()
    {
        // §4.8: "%{h}.%{h}" with a 251-character HELO is 503 characters; dropping labels from the left until at
        // most 253 remain leaves exactly the HELO (keeping "com." before it would be 255).
        var helo = LongHelo();
        const string Record = "v=spf1 exists:%{h}.%{h} -all";
        var kept = new DnsZone().AddTxt("cut.example", Record).AddAddress(helo, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(SpfResult.Pass, (await new SpfEvaluator(kept).CheckMailFromAsync(Client, "user@cut.example", helo)).Result);
        var longer = new DnsZone().AddTxt("cut.example", Record).AddAddress("com." + helo, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(SpfResult.Fail, (await new SpfEvaluator(longer).CheckMailFromAsync(Client, "user@cut.example", helo)).Result);
    }

    [Fact]
    public void From_field_with_many_angle_brackets_is_read_in_linear_allocation()
    {
        // Before: each '<' searched to the end for '>' and copied the rest (20,000 '<' -> ~400 MB).
        var value = new string('<', 20_000) + "user@example.com>";
        var bytes = Allocation.Of(() => AuthorDomain.Parse(value));
        Assert.Equal("example.com", AuthorDomain.Parse(value).Domain);
        Assert.True(bytes < 60L * value.Length, $"allocated {bytes} bytes for {value.Length} characters");
    }

    [Fact]
    public void From_field_with_many_domains_keeps_each_once()
    {
        // Before: each new domain was looked up in a list (quadratic in the number of addresses).
        var value = string.Join(", ", Enumerable.Range(0, 3_000).Select(i => $"u@d{i}.example"));
        var result = AuthorDomain.Parse(value);
        Assert.Equal(AuthorDomainProblem.SeveralDomains, result.Problem);
        Assert.Equal(3_000, result.Domains.Count);
    }

    [Fact]
    public void Angle_addr_choice_is_unchanged_for_stray_brackets()
    {
        Assert.Equal("b.example", AuthorDomain.Parse("<x> Name <<a@b.example>>").Domain);
        Assert.Equal("c.example", AuthorDomain.Parse("<a@b.example> <c@c.example").Domain);
        Assert.Equal("b.example", AuthorDomain.Parse("Name <junk <a@b.example>").Domain);
    }

    public static TheoryData<string, string> OversizedMessages => new()
    {
        // Before: MimeKit parsed these (a 4 MB Subject: ~100 MB allocated; the whole message copied at least once).
        { "Subject: " + new string('x', 4 * 1024 * 1024) + "\r\nFrom: a@example.com\r\n\r\nbody\r\n", nameof(MessageLimits.MaxHeaderBlockBytes) },
        { "From: a@example.com\r\nSubject: x" + string.Concat(Enumerable.Repeat("\r\n folded", 20_000)) + "\r\n\r\nbody\r\n", nameof(MessageLimits.MaxHeaderFieldBytes) },
        { string.Concat(Enumerable.Range(0, 2_000).Select(i => $"X-{i}: v\r\n")) + "From: a@example.com\r\n\r\nbody\r\n", nameof(MessageLimits.MaxHeaderFields) },
        { "From: " + string.Join(", ", Enumerable.Range(0, 1_200).Select(i => $"u@d{i}.example")) + "\r\n\r\nbody\r\n", nameof(MessageLimits.MaxFromFieldBytes) },
    };

    [Theory]
    [MemberData(nameof(OversizedMessages))]
    public void A_message_over_a_limit_is_refused_before_parsing_with_the_limit_in_the_verdict(string message, string limit)
    {
        var raw = Encoding.ASCII.GetBytes(message);
        var evaluator = new MessageEvaluator(new DnsZone());
        var envelope = new SmtpEnvelope(Client, "mx.example", "a@example.com", ["r@example.net"], DateTimeOffset.UnixEpoch);
        var (bytes, verdict) = Allocation.Of(() => evaluator.EvaluateAsync(envelope, raw));
        Assert.Equal(DmarcResult.PermError, verdict.Result);
        Assert.Contains(limit, verdict.HeaderFromProblem, StringComparison.Ordinal);
        Assert.Contains(limit, verdict.AuthenticationResults, StringComparison.Ordinal);
        Assert.True(bytes < (raw.Length / 2) + (256 * 1024), $"allocated {bytes} bytes for a {raw.Length}-byte message"); // SPF and the verdict: a fixed ~40 KB
    }

    [Fact]
    public void A_message_within_the_limits_is_still_evaluated()
    {
        var raw = Encoding.ASCII.GetBytes("From: a@example.com\nSubject: x" + string.Concat(Enumerable.Repeat("\n folded", 1_000)) + "\n\nbody\n");
        Assert.Null(MessageLimitsCheck.Check(raw, MessageLimits.Default));
    }

    [Fact]
    public void Dkim_signature_tags_over_their_limits_are_a_parse_error()
    {
        var bigB = "v=1; a=rsa-sha256; d=example.com; s=s; h=from; bh=AAAA; b=" + new string('A', 20_000);
        Assert.Contains("b=", DkimSignature.Parse(bigB).Error, StringComparison.Ordinal);
        var manyH = "v=1; a=rsa-sha256; d=example.com; s=s; bh=AAAA; b=AAAA; h=" + string.Join(':', Enumerable.Repeat("from", 10_000));
        Assert.Contains("h=", DkimSignature.Parse(manyH).Error, StringComparison.Ordinal);
        var manyTags = string.Concat(Enumerable.Range(0, 10_000).Select(i => $"x{i}=1;"));
        Assert.Contains("tags", DkimSignature.Parse(manyTags).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host \\999 IN A 192.0.2.1")]
    [InlineData("\\999 A 192.0.2.1")]
    [InlineData("$ORIGIN example.\nhost 300 \\256\\300 A 192.0.2.1")]
    public void Zone_file_with_an_empty_word_after_a_bad_escape_returns_errors(string text)
    {
        // Before: IndexOutOfRangeException from the TTL/class check of the empty word.
        var result = ZoneFileParser.Parse(text, "example.");
        Assert.Contains(result.Errors, e => e.Contains("above 255", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_validation_refuses_corrupt_gzip()
    {
        // Before: InvalidDataException (the CLI crashed with exit 134).
        byte[] corrupt = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3];
        var validation = Schemas.Validator.Validate(corrupt);
        Assert.NotNull(validation.Refused);
        Assert.Null(validation.Matched);
    }

    [Fact]
    public void Report_validation_stops_a_gzip_bomb_while_streaming()
    {
        // Before: everything was inflated into memory. 256 MiB of zeros, about 250 KiB compressed.
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 256; i++)
            {
                gzip.Write(zeros);
            }
        }

        var bomb = compressed.ToArray();
        var limits = new ReportLimits { MaxCompressionRatio = int.MaxValue };
        var (bytes, validation) = Allocation.Of(() => Task.FromResult(Schemas.Validator.Validate(bomb, limits)));
        Assert.Contains(nameof(ReportLimits.MaxDecompressedBytes), validation.Refused, StringComparison.Ordinal);
        Assert.True(bytes < 3L * limits.MaxDecompressedBytes, $"allocated {bytes} bytes");

        var byRatio = Schemas.Validator.Validate(bomb);
        Assert.Contains(nameof(ReportLimits.MaxCompressionRatio), byRatio.Refused, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_validation_stops_at_the_depth_limit_and_keeps_few_errors()
    {
        // Before: 100,000 levels were all read and validated, every error kept.
        var deep = Encoding.ASCII.GetBytes("<feedback>" + string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)) + "</feedback>");
        var validation = Schemas.Validator.Validate(deep);
        Assert.Contains(validation.Rfc7489Errors, e => e.Contains("MaxXmlDepth", StringComparison.Ordinal));
        Assert.True(validation.Rfc7489Errors.Count <= ReportLimits.Default.MaxErrors + 2);

        var wide = Encoding.ASCII.GetBytes("<feedback>" + string.Concat(Enumerable.Repeat("<a/>", 100_000)) + "</feedback>");
        var errors = Schemas.Validator.Validate(wide).Rfc7489Errors;
        Assert.InRange(errors.Count, 1, ReportLimits.Default.MaxErrors + 2);
    }

    [Fact]
    public void Report_validation_refuses_a_zip_with_many_entries_and_a_dtd()
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 3; i++)
            {
                using var entry = zip.CreateEntry($"r{i}.xml").Open();
                entry.Write("<feedback/>"u8);
            }
        }

        Assert.Contains(nameof(ReportLimits.MaxZipEntries), Schemas.Validator.Validate(stream.ToArray()).Refused, StringComparison.Ordinal);
        var dtd = Encoding.ASCII.GetBytes("<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\">]><feedback>&x;</feedback>");
        Assert.Contains(Schemas.Validator.Validate(dtd).Rfc7489Errors, e => e.StartsWith("Not well-formed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<feedback xmlns=\"urn:{0}\"><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/><a/></feedback>")]
    [InlineData("<feedback><x xmlns:p=\"urn:{0}\"><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/><p:a/></x></feedback>")]
    [InlineData("<feedback xmlns:p=\"urn:{0}\"><a p:x=\"1\"/><a p:x=\"1\"/><a p:x=\"1\"/><a p:x=\"1\"/><a p:x=\"1\"/><a p:x=\"1\"/></feedback>")]
    public void Report_validation_stops_at_a_long_namespace_uri(string template)
    {
        // Before: the validator built every warning with the element's namespace in it (found by the report fuzz
        // target): 20 elements under one 100,000-character xmlns cost about 30 MB, far over 64 bytes per input byte.
        var xml = Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('u', 100_000)));
        var (bytes, validation) = Allocation.Of(() => Task.FromResult(Schemas.Validator.Validate(xml)));
        Assert.Contains(validation.Rfc9990Errors, e => e.Contains(nameof(ReportLimits.MaxNamespaceUriLength), StringComparison.Ordinal));
        Assert.Contains(validation.Rfc7489Errors, e => e.Contains(nameof(ReportLimits.MaxNamespaceUriLength), StringComparison.Ordinal));
        Assert.True(bytes < 16L * xml.Length + (2 << 20), $"allocated {bytes:N0} bytes for {xml.Length:N0}");

        // A URI at the limit is read and validated as before.
        var atLimit = Encoding.ASCII.GetBytes(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('u', ReportLimits.Default.MaxNamespaceUriLength - 4)));
        var errors = Schemas.Validator.Validate(atLimit);
        Assert.DoesNotContain(errors.Rfc7489Errors, e => e.Contains(nameof(ReportLimits.MaxNamespaceUriLength), StringComparison.Ordinal));
        Assert.NotEmpty(errors.Rfc7489Errors);
    }
}
