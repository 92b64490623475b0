using System.Globalization;
using System.Net;
using System.Text;

namespace DmarcCloud.Core.ReportIngest;

/// <summary>
/// Reads one aggregate report XML document, streaming (<see cref="XmlTokenizer"/>): memory is bounded by one record,
/// plus the records kept when no sink is given. Lenient where the meaning is unambiguous (keyword case, float
/// timestamps, missing optional elements, namespaces and prefixes), strict where figures would be guessed
/// (missing or invalid <c>count</c>, <c>report_id</c>, <c>date_range</c>, <c>policy_published/domain</c>).
/// </summary>
/// <remarks>
/// RFC 7489 Appendix C, RFC 9990 Appendix A and the pre-RFC draft: elements are matched by local name in any
/// namespace, so the three formats share one reader. RFC 9990 §5 (security considerations): no DTD, no external
/// entities, limits from <see cref="ReportIngestOptions"/>. The tokenizer is our own, not <c>XmlReader</c>: the same
/// safety (no DTD, strict well-formedness) at 1.5-1.8 times the speed (docs/benchmarks.md, "Received-report intake").
/// </remarks>
public static class AggregateReportParser
{
    private static readonly HashSet<string> Dispositions = ["none", "quarantine", "reject"];
    private static readonly HashSet<string> PassFail = ["pass", "fail"];
    private static readonly HashSet<string> DkimResults = ["none", "pass", "fail", "policy", "neutral", "temperror", "permerror"];
    private static readonly HashSet<string> SpfResults = ["none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "policy"];

    /// <summary>Reads the whole document; the records are kept in the result.</summary>
    public static AggregateReportParseResult Parse(Stream xml, ReportIngestOptions? options = null, CancellationToken cancellationToken = default) =>
        Parse(xml, null, options, cancellationToken);

    /// <summary>Parses <paramref name="xml"/> bytes.</summary>
    public static AggregateReportParseResult Parse(ReadOnlyMemory<byte> xml, ReportIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(xml.ToArray(), writable: false);
        return Parse(stream, null, options, cancellationToken);
    }

    /// <summary>
    /// Reads the document and hands each record to <paramref name="recordSink"/> instead of keeping it (the result's
    /// <c>Records</c> is then empty): memory stays bounded whatever the report's size. When the document is rejected
    /// part-way, the sink has already seen the records before the fault; callers must discard them.
    /// </summary>
    public static AggregateReportParseResult Parse(Stream xml, Action<AggregateRecord>? recordSink, ReportIngestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(xml);
        options ??= ReportIngestOptions.Default;
        var warnings = new WarningList(options.MaxWarnings);
        var state = new State(options, warnings, recordSink, cancellationToken);
        try
        {
            using var reader = XmlTokenizer.Open(xml, Names.Table, options, warnings, replaceInvalidUtf8: true);
            state.Reader = reader;
            var report = ReadDocument(state);
            if (reader.ReplacedSequences > 0)
            {
                warnings.Add($"{reader.ReplacedSequences} invalid UTF-8 byte sequence(s) replaced by U+FFFD");
            }

            return new AggregateReportParseResult(report with { Warnings = warnings.ToList() }, null, state.RecordCount);
        }
        catch (ReportRejectedException ex)
        {
            return AggregateReportParseResult.Rejected(ex.Message, state.RecordCount);
        }
    }

    private static AggregateReport ReadDocument(State s)
    {
        var r = s.Reader;
        r.Read();

        if (r.Kind == XmlTokenKind.StartElement && (object)r.LocalName != Names.Feedback && !r.IsEmptyElement)
        {
            // A report wrapped in another element (seen: an unclosed <xs:schema> around <feedback>): use the
            // first child when it is <feedback>, and never read past its end.
            var wrapper = r.Name;
            r.Read();
            if (r.Kind == XmlTokenKind.StartElement && (object)r.LocalName == Names.Feedback)
            {
                s.Warnings.Add($"the <feedback> element is wrapped in <{ReportText.Truncate(wrapper)}>; the wrapper was ignored");
            }
            else
            {
                throw new ReportRejectedException($"the root element is <{ReportText.Truncate(wrapper)}>, not <feedback>: not an aggregate report");
            }
        }

        if (r.Kind != XmlTokenKind.StartElement || (object)r.LocalName != Names.Feedback)
        {
            throw new ReportRejectedException($"the root element is <{ReportText.Truncate(r.LocalName)}>, not <feedback>: not an aggregate report");
        }

        s.RootDepth = r.Depth;

        var ns = r.NamespaceUri;
        var names = Names.Instance;
        string? version = null;
        Metadata? metadata = null;
        ReportPolicyPublished? policy = null;
        var records = s.Sink is null ? new List<AggregateRecord>() : null;
        var bis = false;

        for (var depth = Enter(s); NextChild(s, depth);)
        {
            var name = r.LocalName;
            if ((object)name == names.Version)
            {
                version = ReadText(s);
            }
            else if ((object)name == names.ReportMetadata)
            {
                metadata = ReadMetadata(s);
            }
            else if ((object)name == names.PolicyPublished)
            {
                (policy, var hasBisElements) = ReadPolicy(s);
                bis |= hasBisElements;
            }
            else if ((object)name == names.Record)
            {
                var record = ReadRecord(s);
                if (records is not null)
                {
                    records.Add(record);
                }
                else
                {
                    s.Sink!(record);
                }
            }
            else
            {
                Skip(s);
            }
        }

        if (metadata is null)
        {
            throw new ReportRejectedException("no <report_metadata>");
        }

        if (policy is null)
        {
            throw new ReportRejectedException("no <policy_published>");
        }

        if (s.RecordCount == 0)
        {
            s.Warnings.Add("the report has no <record>");
        }

        var format = ns == "urn:ietf:params:xml:ns:dmarc-2.0" || version?.Trim() == "2.0" || bis || metadata.Generator is not null
            ? "rfc9990"
            : version is null && string.IsNullOrEmpty(ns) ? "draft" : "rfc7489";
        if (format == "rfc9990" && ns != "urn:ietf:params:xml:ns:dmarc-2.0")
        {
            s.Warnings.Add("RFC 9990 elements without the urn:ietf:params:xml:ns:dmarc-2.0 namespace");
        }

        return new AggregateReport
        {
            Format = format,
            Version = version,
            OrgName = metadata.OrgName,
            Email = metadata.Email,
            ExtraContactInfo = metadata.ExtraContactInfo,
            ReportId = metadata.ReportId,
            DateRange = metadata.DateRange,
            Errors = metadata.Errors,
            Generator = metadata.Generator,
            PolicyPublished = policy,
            Records = (IReadOnlyList<AggregateRecord>?)records ?? [],
        };
    }

    private static Metadata ReadMetadata(State s)
    {
        var r = s.Reader;
        var n = Names.Instance;
        string? org = null, email = null, extra = null, id = null, generator = null;
        long? begin = null, end = null;
        var errors = new List<string>();
        for (var depth = Enter(s); NextChild(s, depth);)
        {
            var name = r.LocalName;
            if ((object)name == n.OrgName)
            {
                org = ReadText(s);
            }
            else if ((object)name == n.Email)
            {
                email = ReadText(s);
            }
            else if ((object)name == n.ExtraContactInfo)
            {
                extra = ReadText(s);
            }
            else if ((object)name == n.ReportId)
            {
                id = ReadText(s);
            }
            else if ((object)name == n.Generator)
            {
                generator = ReadText(s);
            }
            else if ((object)name == n.Error)
            {
                if (errors.Count < 100)
                {
                    errors.Add(ReadText(s));
                }
                else
                {
                    Skip(s);
                }
            }
            else if ((object)name == n.DateRange)
            {
                for (var depth2 = Enter(s); NextChild(s, depth2);)
                {
                    if ((object)r.LocalName == n.Begin)
                    {
                        begin = ReadTimestamp(s, "begin");
                    }
                    else if ((object)r.LocalName == n.End)
                    {
                        end = ReadTimestamp(s, "end");
                    }
                    else
                    {
                        Skip(s);
                    }
                }
            }
            else
            {
                Skip(s);
            }
        }

        if (string.IsNullOrEmpty(id))
        {
            throw new ReportRejectedException("no <report_id> in <report_metadata>");
        }

        if (begin is null || end is null)
        {
            throw new ReportRejectedException("no <date_range> <begin>/<end> in <report_metadata>");
        }

        if (begin > end)
        {
            s.Warnings.Add("date_range begin is after end");
        }

        if (string.IsNullOrEmpty(org))
        {
            s.Warnings.Add("empty <org_name>");
        }

        if (string.IsNullOrEmpty(email))
        {
            s.Warnings.Add("no <email> in <report_metadata>");
        }

        return new Metadata(org ?? string.Empty, NullIfEmpty(email), NullIfEmpty(extra), id, new ReportDateRange(begin.Value, end.Value), errors, NullIfEmpty(generator));
    }

    private static long ReadTimestamp(State s, string what)
    {
        var text = ReadText(s);
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fractional) && fractional <= long.MaxValue)
        {
            s.Warnings.Add($"date_range {what} '{ReportText.Truncate(text)}' is not an integer; fraction dropped");
            return (long)fractional;
        }

        throw new ReportRejectedException($"date_range {what} '{ReportText.Truncate(text)}' is not a Unix time");
    }

    private static (ReportPolicyPublished Policy, bool Bis) ReadPolicy(State s)
    {
        var r = s.Reader;
        var n = Names.Instance;
        string? domain = null, adkim = null, aspf = null, p = null, sp = null, np = null, fo = null, testing = null, discovery = null;
        int? pct = null;
        for (var depth = Enter(s); NextChild(s, depth);)
        {
            var name = r.LocalName;
            if ((object)name == n.Domain)
            {
                domain = ReadText(s);
            }
            else if ((object)name == n.Adkim)
            {
                adkim = Keyword(s, ReadText(s), "adkim");
            }
            else if ((object)name == n.Aspf)
            {
                aspf = Keyword(s, ReadText(s), "aspf");
            }
            else if ((object)name == n.P)
            {
                p = Keyword(s, ReadText(s), "p");
            }
            else if ((object)name == n.Sp)
            {
                sp = Keyword(s, ReadText(s), "sp");
            }
            else if ((object)name == n.Np)
            {
                np = Keyword(s, ReadText(s), "np");
            }
            else if ((object)name == n.Fo)
            {
                fo = NullIfEmpty(ReadText(s));
            }
            else if ((object)name == n.Testing)
            {
                testing = Keyword(s, ReadText(s), "testing");
            }
            else if ((object)name == n.DiscoveryMethod)
            {
                discovery = Keyword(s, ReadText(s), "discovery_method");
            }
            else if ((object)name == n.Pct)
            {
                var text = ReadText(s);
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100)
                {
                    pct = value;
                }
                else if (text.Length > 0)
                {
                    s.Warnings.Add($"policy_published pct '{ReportText.Truncate(text)}' ignored");
                }
            }
            else
            {
                Skip(s);
            }
        }

        if (string.IsNullOrEmpty(domain))
        {
            throw new ReportRejectedException("no <domain> in <policy_published>");
        }

        var lower = domain.ToLowerInvariant().TrimEnd('.');
        var policy = new ReportPolicyPublished
        {
            Domain = lower,
            Adkim = adkim,
            Aspf = aspf,
            P = p,
            Sp = sp,
            Np = np,
            Pct = pct,
            Fo = fo,
            Testing = testing,
            DiscoveryMethod = discovery,
        };
        return (policy, np is not null || testing is not null || discovery is not null);
    }

    private static AggregateRecord ReadRecord(State s)
    {
        s.RecordCount++;
        if (s.RecordCount > s.Options.MaxRecords)
        {
            throw new ReportRejectedException($"more than {s.Options.MaxRecords} records");
        }

        if ((s.RecordCount & 1023) == 0)
        {
            s.CheckTime();
        }

        var r = s.Reader;
        var n = Names.Instance;
        string? sourceIp = null;
        long? count = null;
        PolicyEvaluated? evaluated = null;
        RecordIdentifiers? identifiers = null;
        List<DkimAuthResult>? dkim = null;
        List<SpfAuthResult>? spf = null;
        for (var depth = Enter(s); NextChild(s, depth);)
        {
            var name = r.LocalName;
            if ((object)name == n.Row)
            {
                for (var depth2 = Enter(s); NextChild(s, depth2);)
                {
                    var rowName = r.LocalName;
                    if ((object)rowName == n.SourceIp)
                    {
                        sourceIp = ReadText(s);
                    }
                    else if ((object)rowName == n.Count)
                    {
                        var text = ReadText(s);
                        count = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                            ? c
                            : throw new ReportRejectedException($"record {s.RecordCount}: count '{ReportText.Truncate(text)}' is not a non-negative integer");
                    }
                    else if ((object)rowName == n.PolicyEvaluated)
                    {
                        evaluated = ReadPolicyEvaluated(s);
                    }
                    else
                    {
                        Skip(s);
                    }
                }
            }
            else if ((object)name == n.Identifiers)
            {
                string? to = null, from = null, header = null;
                for (var depth2 = Enter(s); NextChild(s, depth2);)
                {
                    var idName = r.LocalName;
                    if ((object)idName == n.EnvelopeTo)
                    {
                        to = NullIfEmpty(ReadText(s));
                    }
                    else if ((object)idName == n.EnvelopeFrom)
                    {
                        from = NullIfEmpty(ReadText(s));
                    }
                    else if ((object)idName == n.HeaderFrom)
                    {
                        header = NullIfEmpty(ReadText(s))?.ToLowerInvariant();
                    }
                    else
                    {
                        Skip(s);
                    }
                }

                identifiers = new RecordIdentifiers(to, from, header);
            }
            else if ((object)name == n.AuthResults)
            {
                for (var depth2 = Enter(s); NextChild(s, depth2);)
                {
                    var authName = r.LocalName;
                    if ((object)authName == n.Dkim)
                    {
                        string? domain = null, selector = null, result = null, human = null;
                        for (var depth3 = Enter(s); NextChild(s, depth3);)
                        {
                            var f = r.LocalName;
                            if ((object)f == n.Domain) { domain = NullIfEmpty(ReadText(s)); }
                            else if ((object)f == n.Selector) { selector = NullIfEmpty(ReadText(s)); }
                            else if ((object)f == n.Result) { result = Result(s, ReadText(s), DkimResults, "auth_results dkim result"); }
                            else if ((object)f == n.HumanResult) { human = NullIfEmpty(ReadText(s)); }
                            else { Skip(s); }
                        }

                        (dkim ??= []).Add(new DkimAuthResult(domain, selector, result, human));
                    }
                    else if ((object)authName == n.Spf)
                    {
                        string? domain = null, scope = null, result = null, human = null;
                        for (var depth3 = Enter(s); NextChild(s, depth3);)
                        {
                            var f = r.LocalName;
                            if ((object)f == n.Domain) { domain = NullIfEmpty(ReadText(s)); }
                            else if ((object)f == n.Scope) { scope = Keyword(s, ReadText(s), "spf scope"); }
                            else if ((object)f == n.Result) { result = Result(s, ReadText(s), SpfResults, "auth_results spf result"); }
                            else if ((object)f == n.HumanResult) { human = NullIfEmpty(ReadText(s)); }
                            else { Skip(s); }
                        }

                        (spf ??= []).Add(new SpfAuthResult(domain, scope, result, human));
                    }
                    else
                    {
                        Skip(s);
                    }
                }
            }
            else
            {
                Skip(s);
            }
        }

        if (string.IsNullOrEmpty(sourceIp))
        {
            throw new ReportRejectedException($"record {s.RecordCount}: no <source_ip>");
        }

        if (count is null)
        {
            throw new ReportRejectedException($"record {s.RecordCount}: no <count>");
        }

        if ((sourceIp.Contains('.') || sourceIp.Contains(':')) && IPAddress.TryParse(sourceIp, out var ip))
        {
            // The canonical form; usually the text as written, which is then kept rather than copied.
            Span<char> canonical = stackalloc char[64];
            if (ip.TryFormat(canonical, out var written) && !canonical[..written].SequenceEqual(sourceIp))
            {
                sourceIp = new string(canonical[..written]);
            }
        }
        else
        {
            s.Warnings.Add($"record {s.RecordCount}: source_ip '{ReportText.Truncate(sourceIp)}' is not an IP address; kept as written");
        }

        if (evaluated is null)
        {
            s.Warnings.Add($"record {s.RecordCount}: no <policy_evaluated>");
            evaluated = new PolicyEvaluated(null, null, null, []);
        }

        if (identifiers?.HeaderFrom is null)
        {
            s.Warnings.Add($"record {s.RecordCount}: no <header_from>");
        }

        return new AggregateRecord(
            new RecordRow(sourceIp, count.Value, evaluated),
            identifiers ?? new RecordIdentifiers(null, null, null),
            new RecordAuthResults((IReadOnlyList<DkimAuthResult>?)dkim ?? [], (IReadOnlyList<SpfAuthResult>?)spf ?? []));
    }

    private static PolicyEvaluated ReadPolicyEvaluated(State s)
    {
        var r = s.Reader;
        var n = Names.Instance;
        string? disposition = null, dkim = null, spf = null;
        List<PolicyReason>? reasons = null;
        for (var depth = Enter(s); NextChild(s, depth);)
        {
            var name = r.LocalName;
            if ((object)name == n.Disposition)
            {
                disposition = Result(s, ReadText(s), Dispositions, "policy_evaluated disposition");
            }
            else if ((object)name == n.Dkim)
            {
                dkim = Result(s, ReadText(s), PassFail, "policy_evaluated dkim");
            }
            else if ((object)name == n.Spf)
            {
                spf = Result(s, ReadText(s), PassFail, "policy_evaluated spf");
            }
            else if ((object)name == n.Reason)
            {
                string? type = null, comment = null;
                for (var depth2 = Enter(s); NextChild(s, depth2);)
                {
                    if ((object)r.LocalName == n.Type)
                    {
                        type = Keyword(s, ReadText(s), "reason type");
                    }
                    else if ((object)r.LocalName == n.Comment)
                    {
                        comment = NullIfEmpty(ReadText(s));
                    }
                    else
                    {
                        Skip(s);
                    }
                }

                if (type is not null || comment is not null)
                {
                    (reasons ??= []).Add(new PolicyReason(type, comment));
                }
            }
            else
            {
                Skip(s);
            }
        }

        return new PolicyEvaluated(disposition, dkim, spf, (IReadOnlyList<PolicyReason>?)reasons ?? []);
    }

    /// <summary>A keyword from a closed set: lower-cased (with a warning when it was not), unknown values kept with a warning.</summary>
    private static string? Result(State s, string text, HashSet<string> known, string what)
    {
        var value = Keyword(s, text, what);
        if (value is not null && !known.Contains(value))
        {
            s.Warnings.Add($"{what} '{ReportText.Truncate(value)}' is not a known value; kept as written");
        }

        if (value is null)
        {
            s.Warnings.Add($"empty {what}");
        }

        return value;
    }

    private static string? Keyword(State s, string text, string what)
    {
        if (text.Length == 0)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (c is >= 'A' and <= 'Z')
            {
                var lower = text.ToLowerInvariant();
                s.Warnings.Add($"{what} '{ReportText.Truncate(text)}' read as '{ReportText.Truncate(lower)}' (keywords are lower-case)");
                return lower;
            }
        }

        return text;
    }

    /// <summary>Moves into the element the reader is on; returns its depth, or -1 when it is empty.</summary>
    private static int Enter(State s)
    {
        var r = s.Reader;
        var depth = r.IsEmptyElement ? -1 : r.Depth;
        r.Read();
        return depth;
    }

    /// <summary>
    /// Moves to the next child element of the element entered at <paramref name="depth"/> (<see cref="Enter"/>); the
    /// loop body must consume it (read or skip). False after the parent's end tag, which is consumed too unless it is
    /// the root's: bytes after the document (seen after gzip streams) are never read.
    /// </summary>
    private static bool NextChild(State s, int depth)
    {
        if (depth < 0)
        {
            return false;
        }

        var r = s.Reader;
        while (true)
        {
            switch (r.Kind)
            {
                case XmlTokenKind.StartElement:
                    return true;
                case XmlTokenKind.EndElement when r.Depth == depth:
                    if (depth > s.RootDepth)
                    {
                        r.Read();
                    }

                    return false;
                default:
                    r.Read();
                    break;
            }
        }
    }

    /// <summary>The text of the element the reader is on, trimmed; nested elements are skipped. Leaves the reader after the end tag.</summary>
    private static string ReadText(State s)
    {
        var r = s.Reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return string.Empty;
        }

        if (r.TryReadPlainText() is { } plain)
        {
            r.Read();
            return plain.Length <= s.Options.MaxTextLength
                ? plain.Trim()
                : throw new ReportRejectedException($"an element's text is longer than {s.Options.MaxTextLength} characters");
        }

        var depth = r.Depth;
        r.Read();
        string? single = null;
        StringBuilder? builder = null;
        while (r.Kind != XmlTokenKind.EndElement || r.Depth != depth)
        {
            switch (r.Kind)
            {
                case XmlTokenKind.Text:
                    if (r.TextTooLong)
                    {
                        throw new ReportRejectedException($"an element's text is longer than {s.Options.MaxTextLength} characters");
                    }

                    var value = r.GetText();
                    if (single is null)
                    {
                        single = value;
                    }
                    else
                    {
                        builder ??= new StringBuilder(single);
                        builder.Append(value);
                        if (builder.Length > s.Options.MaxTextLength)
                        {
                            throw new ReportRejectedException($"an element's text is longer than {s.Options.MaxTextLength} characters");
                        }
                    }

                    r.Read();
                    break;
                case XmlTokenKind.StartElement:
                    s.Warnings.Add($"unexpected element <{ReportText.Truncate(r.LocalName)}> inside a text element was ignored");
                    Skip(s);
                    break;
                default:
                    r.Read();
                    break;
            }
        }

        r.Read();
        var text = builder?.ToString() ?? single ?? string.Empty;
        if (text.Length > s.Options.MaxTextLength)
        {
            throw new ReportRejectedException($"an element's text is longer than {s.Options.MaxTextLength} characters");
        }

        return text.Trim();
    }

    /// <summary>Skips the element the reader is on (the tokenizer refuses nesting deeper than the limit).</summary>
    private static void Skip(State s)
    {
        var r = s.Reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }

        var depth = r.Depth;
        do
        {
            r.Read();
        }
        while (r.Kind != XmlTokenKind.EndElement || r.Depth != depth);

        if (depth > s.RootDepth)
        {
            r.Read();
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private sealed record Metadata(string OrgName, string? Email, string? ExtraContactInfo, string ReportId, ReportDateRange DateRange, IReadOnlyList<string> Errors, string? Generator);

    private sealed class State(ReportIngestOptions options, WarningList warnings, Action<AggregateRecord>? sink, CancellationToken cancellationToken)
    {
        private readonly long _started = options.TimeProvider.GetTimestamp();

        public ReportIngestOptions Options { get; } = options;

        public WarningList Warnings { get; } = warnings;

        public Action<AggregateRecord>? Sink { get; } = sink;

        public XmlTokenizer Reader { get; set; } = null!;

        public long RecordCount { get; set; }

        public int RootDepth { get; set; }

        public void CheckTime()
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Options.TimeProvider.GetElapsedTime(_started) > Options.TimeLimit)
            {
                throw new ReportRejectedException($"reading took longer than the {Options.TimeLimit.TotalSeconds:0} s limit");
            }
        }
    }

    /// <summary>The element names the parser knows, one instance each: the tokenizer hands these out, so they compare by reference.</summary>
    private sealed class Names
    {
        public static readonly Names Instance = new();

        public static readonly string Feedback = "feedback";

        public readonly string Version = "version";
        public readonly string ReportMetadata = "report_metadata";
        public readonly string PolicyPublished = "policy_published";
        public readonly string Record = "record";
        public readonly string OrgName = "org_name";
        public readonly string Email = "email";
        public readonly string ExtraContactInfo = "extra_contact_info";
        public readonly string ReportId = "report_id";
        public readonly string DateRange = "date_range";
        public readonly string Begin = "begin";
        public readonly string End = "end";
        public readonly string Error = "error";
        public readonly string Generator = "generator";
        public readonly string Domain = "domain";
        public readonly string Adkim = "adkim";
        public readonly string Aspf = "aspf";
        public readonly string P = "p";
        public readonly string Sp = "sp";
        public readonly string Np = "np";
        public readonly string Pct = "pct";
        public readonly string Fo = "fo";
        public readonly string Testing = "testing";
        public readonly string DiscoveryMethod = "discovery_method";
        public readonly string Row = "row";
        public readonly string SourceIp = "source_ip";
        public readonly string Count = "count";
        public readonly string PolicyEvaluated = "policy_evaluated";
        public readonly string Disposition = "disposition";
        public readonly string Dkim = "dkim";
        public readonly string Spf = "spf";
        public readonly string Reason = "reason";
        public readonly string Type = "type";
        public readonly string Comment = "comment";
        public readonly string Identifiers = "identifiers";
        public readonly string EnvelopeTo = "envelope_to";
        public readonly string EnvelopeFrom = "envelope_from";
        public readonly string HeaderFrom = "header_from";
        public readonly string AuthResults = "auth_results";
        public readonly string Selector = "selector";
        public readonly string Result = "result";
        public readonly string HumanResult = "human_result";
        public readonly string Scope = "scope";

        /// <summary>The names above, for the tokenizer.</summary>
        public static Utf8NameTable Table { get; } = new(
        [
            Feedback, Instance.Version, Instance.ReportMetadata, Instance.PolicyPublished, Instance.Record,
            Instance.OrgName, Instance.Email, Instance.ExtraContactInfo, Instance.ReportId, Instance.DateRange,
            Instance.Begin, Instance.End, Instance.Error, Instance.Generator, Instance.Domain, Instance.Adkim,
            Instance.Aspf, Instance.P, Instance.Sp, Instance.Np, Instance.Pct, Instance.Fo, Instance.Testing,
            Instance.DiscoveryMethod, Instance.Row, Instance.SourceIp, Instance.Count, Instance.PolicyEvaluated,
            Instance.Disposition, Instance.Dkim, Instance.Spf, Instance.Reason, Instance.Type, Instance.Comment,
            Instance.Identifiers, Instance.EnvelopeTo, Instance.EnvelopeFrom, Instance.HeaderFrom,
            Instance.AuthResults, Instance.Selector, Instance.Result, Instance.HumanResult, Instance.Scope,
        ]);
    }
}
