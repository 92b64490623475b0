namespace DmarcCloud.Core.Reporting;

/// <summary>
/// Turns grouped content into finished report files: XML in the chosen format, deterministic gzip, Report-ID
/// and filename; content too large for the size cap is split into several complete, valid reports (parts),
/// never truncated.
/// </summary>
/// <remarks>RFC 9990 §2.5 leaves the size limit to the receiver; the obsolete <c>!size</c> suffix is ignored
/// (RFC 9989), so a cap of our own keeps mail deliverable.</remarks>
public sealed class AggregateReportPackager
{
    /// <summary>The default cap on a compressed report part: 10 MB.</summary>
    public const int DefaultMaxCompressedBytes = 10 * 1024 * 1024;

    private readonly ReportingOrganization _organization;
    private readonly AggregateReportFormat _format;
    private readonly int _maxCompressedBytes;

    /// <summary>Creates a packager.</summary>
    public AggregateReportPackager(ReportingOrganization organization, AggregateReportFormat format, int maxCompressedBytes = DefaultMaxCompressedBytes)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCompressedBytes, 512);
        _organization = organization;
        _format = format;
        _maxCompressedBytes = maxCompressedBytes;
    }

    /// <summary>The report file(s) for <paramref name="content"/>: one, or several parts when one would exceed the cap.</summary>
    public IReadOnlyList<AggregateReportFile> Package(AggregateReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Rows.Count == 0)
        {
            return [];
        }

        var parts = 1;
        while (true)
        {
            var files = TryPackage(content, parts, out var largest);
            if (files is not null)
            {
                return files;
            }

            if (parts >= content.Rows.Count)
            {
                throw new InvalidOperationException(
                    $"A single record of {content.Policy.Domain} compresses to {largest} bytes, above the cap of {_maxCompressedBytes}.");
            }

            // Grow the part count in proportion to the overshoot (plus a margin), at least by one.
            var estimate = (int)Math.Ceiling(parts * (double)largest / _maxCompressedBytes * 1.1);
            parts = Math.Min(content.Rows.Count, Math.Max(parts + 1, estimate));
        }
    }

    private List<AggregateReportFile>? TryPackage(AggregateReportContent content, int parts, out int largest)
    {
        var (begin, end) = AggregateReportMetadata.RangeOf(content.Day);
        var domain = content.Policy.Domain.ToLowerInvariant();
        var files = new List<AggregateReportFile>(parts);
        largest = 0;
        var rowsPerPart = content.Rows.Count / parts;
        var remainder = content.Rows.Count % parts;
        var start = 0;
        for (var part = 1; part <= parts; part++)
        {
            var count = rowsPerPart + (part <= remainder ? 1 : 0);
            var rows = new ArraySegmentList(content.Rows, start, count);
            start += count;

            // A single-part report keeps part number 1, so a report that never needed splitting keeps its ID.
            var uniqueId = ReportIdentity.UniqueId(_organization.Domain, domain, begin, end, content.ConfigurationKey, part);
            var reportId = ReportIdentity.ReportId(uniqueId, _organization.Domain);
            var metadata = new AggregateReportMetadata(_organization, reportId, begin, end);
            using var compressed = new MemoryStream();
            using (var gzipWriter = DeterministicGzip.CreateWriter(compressed))
            {
                AggregateReportXmlWriter.Write(gzipWriter, metadata, content.Policy, rows, _format);
            }

            var gzip = compressed.ToArray();
            largest = Math.Max(largest, gzip.Length);
            if (gzip.Length > _maxCompressedBytes)
            {
                return null;
            }

            files.Add(new AggregateReportFile(
                domain,
                content.Day,
                reportId,
                ReportIdentity.FileName(_organization.Domain, domain, begin, end, uniqueId),
                part,
                parts,
                count,
                rows.Sum(r => r.Count),
                gzip,
                content.Policy.Rua));
        }

        return files;
    }

    private sealed class ArraySegmentList(IReadOnlyList<AggregateReportRow> rows, int start, int count) : IEnumerable<AggregateReportRow>
    {
        public IEnumerator<AggregateReportRow> GetEnumerator()
        {
            for (var i = start; i < start + count; i++)
            {
                yield return rows[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
