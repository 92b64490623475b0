using System.IO.Compression;
using System.Text;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Core.Tests.ReportIngest;

/// <summary><see cref="ReceivedReportReader"/> with record sinks: the records of each report go to the sink of its origin, none are kept.</summary>
public class RecordSinkTests
{
    private static string Report(string id, params (string Ip, int Count)[] rows) =>
        $"<?xml version=\"1.0\"?><feedback><report_metadata><org_name>r.example</org_name><report_id>{id}</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata><policy_published><domain>example.com</domain><p>none</p></policy_published>" +
        string.Concat(rows.Select(r => $"<record><row><source_ip>{r.Ip}</source_ip><count>{r.Count}</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row><identifiers><header_from>example.com</header_from></identifiers><auth_results/></record>")) +
        "</feedback>";

    private static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < entries.Length; i++)
            {
                using var entry = zip.CreateEntry($"r{i}.xml").Open();
                entry.Write(Encoding.UTF8.GetBytes(entries[i]));
            }
        }

        return buffer.ToArray();
    }

    [Fact]
    public void Each_report_streams_its_records_to_the_sink_of_its_origin_and_keeps_none()
    {
        var broken = Report("3", ("192.0.2.9", 9))[..^"</feedback>".Length] + "<record><row>";
        var input = Zip(Report("1", ("192.0.2.1", 2), ("192.0.2.2", 3)), Report("2", ("198.51.100.1", 5)), broken);
        var seen = new Dictionary<string, List<(string, long)>>();

        var file = ReceivedReportReader.Read(input, null, origin =>
        {
            var records = seen[origin] = [];
            return record => records.Add((record.Row.SourceIp, record.Row.Count));
        });

        Assert.Equal(["file (zip entry 1)", "file (zip entry 2)", "file (zip entry 3)"], seen.Keys);
        Assert.Equal([("192.0.2.1", 2L), ("192.0.2.2", 3L)], seen["file (zip entry 1)"]);
        Assert.Equal([("198.51.100.1", 5L)], seen["file (zip entry 2)"]);
        Assert.All(file.Reports, item => Assert.Empty(item.Aggregate!.Records));
        Assert.Equal(["1", "2"], file.Reports.Select(item => item.Aggregate!.ReportId));
        // The broken entry's sink saw its record before the fault; the item says it is rejected, so the caller discards it.
        Assert.Equal([("192.0.2.9", 9L)], seen["file (zip entry 3)"]);
        var rejected = Assert.Single(file.Items, item => !item.Success);
        Assert.Equal("file (zip entry 3)", rejected.Origin);
    }

    [Fact]
    public void Without_a_sink_the_records_are_kept()
    {
        var file = ReceivedReportReader.Read(Encoding.UTF8.GetBytes(Report("1", ("192.0.2.1", 2))), null, _ => null);

        Assert.Equal(2, Assert.Single(file.Reports).Aggregate!.Records.Single().Row.Count);
    }
}
