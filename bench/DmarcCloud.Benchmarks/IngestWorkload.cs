using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Azure.ReceivedReports;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;
using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Benchmarks;

/// <summary>
/// Received-report intake (issue 12 targets), driven by scripts/bench-ingest.sh:
/// <c>ingest-generate N FILE</c> writes an N-record aggregate report (RFC 9990, gzip) on the fly;
/// <c>ingest-parse FILE</c> streams it through <see cref="AggregateReportParser"/> with a record sink (bounded memory)
/// and prints records/s and the process's peak working set; <c>ingest-read FILE</c> reads it the way every door does
/// (<see cref="ReceivedReportReader"/>, records kept); <c>ingest-store FILE CONNECTION</c> runs it through
/// <see cref="ReportIngestService"/> into Table Storage + Blob (Azurite).
/// </summary>
public static class IngestWorkload
{
    public static readonly DateOnly Day = new(2026, 11, 21);

    /// <summary>Writes an N-record report: <paramref name="sources"/> distinct source addresses (default N/4), 5 % failing, realistic identifiers and auth results.</summary>
    public static int Generate(long records, string path, long? sources = null)
    {
        var begin = new DateTimeOffset(Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 16);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n  <version>1.0</version>\n  <report_metadata>\n    <org_name>bench.example</org_name>\n    <email>noreply-dmarc@bench.example</email>\n    <report_id>bench-{records}</report_id>\n    <date_range><begin>{begin}</begin><end>{begin + 86399}</end></date_range>\n  </report_metadata>\n  <policy_published>\n    <domain>bigsender.example</domain><adkim>r</adkim><aspf>r</aspf><p>reject</p><sp>reject</sp><np>reject</np><testing>n</testing>\n  </policy_published>\n"));
        var distinct = Math.Clamp(sources ?? records / 4, 1, 200L * 65536);
        for (long i = 0; i < records; i++)
        {
            var s = i % distinct;
            var ip = $"{10 + (s >> 16) % 200}.{(s >> 8) & 255}.{s & 255}.{1 + (s % 7)}";
            var pass = i % 20 != 0;
            var (disposition, result, envelope) = pass ? ("none", "pass", "bounce.bigsender.example") : ("reject", "fail", "forwarder.example");
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"  <record>\n    <row>\n      <source_ip>{ip}</source_ip>\n      <count>{1 + i % 13}</count>\n      <policy_evaluated><disposition>{disposition}</disposition><dkim>{result}</dkim><spf>{result}</spf></policy_evaluated>\n    </row>\n    <identifiers><envelope_from>{envelope}</envelope_from><header_from>bigsender.example</header_from></identifiers>\n    <auth_results>\n      <dkim><domain>bigsender.example</domain><selector>s2026</selector><result>{result}</result></dkim>\n      <spf><domain>{envelope}</domain><scope>mfrom</scope><result>{result}</result></spf>\n    </auth_results>\n  </record>\n"));
        }

        writer.Write("</feedback>\n");
        writer.Flush();
        gzip.Flush();
        Console.WriteLine($"generated {records:N0} records, {distinct:N0} source addresses: {path} ({new FileInfo(path).Length:N0} bytes gzip)");
        return 0;
    }

    /// <summary>
    /// Streams the gzip report through the parser with a sink (records not kept), <paramref name="passes"/> times in
    /// one process; prints each pass with its wall and CPU time (the machine is shared: CPU time is the steadier figure).
    /// </summary>
    public static int Parse(string path, int passes = 1)
    {
        for (var pass = 1; pass <= passes; pass++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            long records = 0, messages = 0;
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            var result = AggregateReportParser.Parse(gzip, r => { records++; messages += r.Row.Count; });
            watch.Stop();
            if (!result.Success)
            {
                Console.Error.WriteLine($"rejected: {result.Error}");
                return 1;
            }

            Print($"parse pass {pass}/{passes} (gunzip + AggregateReportParser, records to a sink)", records, messages, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
        }

        return 0;
    }

    /// <summary>
    /// Where the parse time goes: gunzip alone, gunzip + a bare XmlReader pass (the old parser's settings, for comparison),
    /// gunzip + a bare pass of the parser's own tokenizer, the full parse; best of 3 each, CPU time.
    /// </summary>
    public static int Profile(string path)
    {
        var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true, IgnoreProcessingInstructions = true };
        long records = 0;
        (string Name, Action Run)[] stages =
        [
            ("gunzip only", () => { using var g = new GZipStream(File.OpenRead(path), CompressionMode.Decompress); g.CopyTo(Stream.Null); }),
            ("gunzip + UTF-8 decode", () => { using var g = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8, false, 1 << 16); var buffer = new char[1 << 16]; while (g.Read(buffer, 0, buffer.Length) > 0) { } }),
            ("gunzip + bare XmlReader.Read loop", () => { using var x = System.Xml.XmlReader.Create(new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), Encoding.UTF8, false, 1 << 16), settings); while (x.Read()) { if (x.NodeType == System.Xml.XmlNodeType.Text) { _ = x.Value; } } }),
            ("gunzip + bare XmlTokenizer.Read loop", () => { using var t = XmlTokenizer.Open(new GZipStream(File.OpenRead(path), CompressionMode.Decompress), new Utf8NameTable(["record"]), ReportIngestOptions.Default, null, replaceInvalidUtf8: true); while (t.Read()) { if (t.Kind == XmlTokenKind.Text) { _ = t.GetText(); } } }),
            ("full parse (AggregateReportParser, sink)", () => { records = 0; using var g = new GZipStream(File.OpenRead(path), CompressionMode.Decompress); AggregateReportParser.Parse(g, _ => records++); }),
        ];
        foreach (var (name, run) in stages)
        {
            var best = TimeSpan.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                run();
                var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
                best = used < best ? used : best;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-42} {best.TotalSeconds,6:F2} s CPU (best of 3)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ({records:N0} records)"));
        return 0;
    }

    /// <summary>
    /// Reads the gzip report as every intake door does: sniffed, decompressed under the limits, records streamed into
    /// per-source figures (<see cref="ReportAccumulators"/>, the store's record sinks), not kept.
    /// </summary>
    public static int Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var accumulators = new ReportAccumulators(ReportIngestOptions.Default.MaxSourcesPerReport);
        var file = ReceivedReportReader.Read(bytes, null, accumulators.For);
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (file.Error is not null || file.Items.Single().Aggregate is null)
        {
            Console.Error.WriteLine($"rejected: {file.Error ?? file.Items.Single().Error}");
            return 1;
        }

        var figures = accumulators.Of(file.Items.Single().Origin)!;
        Print($"read (ReceivedReportReader, records into per-source figures: {figures.Count:N0} sources)", figures.Total.Records, figures.Total.Messages, watch.Elapsed, cpu);
        if (figures.Warning is { } warning)
        {
            Console.WriteLine($"  warning: {warning}");
        }

        return 0;
    }

    /// <summary>
    /// The report through a door into Azurite, whole process: <c>upload</c> buffers the body as the HTTP function does
    /// and calls <see cref="ReportIngestService.IngestAsync"/>; <c>mail</c> reads a report mail (<see cref="GenerateMail"/>), parses it
    /// with MimeKit as the inbound path's report-mail intake does and calls <see cref="ReportIngestService.IngestMessageAsync"/>.
    /// </summary>
    public static async Task<int> DoorAsync(string path, string connectionString, string door)
    {
        var (ingest, prefix) = await CreateIngestAsync(connectionString);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        IngestResult result;
        if (door == "upload")
        {
            using var body = new MemoryStream();
            await using (var input = File.OpenRead(path))
            {
                await input.CopyToAsync(body);
            }

            result = await ingest.IngestAsync(body.GetBuffer().AsMemory(0, (int)body.Length), Path.GetFileName(path), "upload");
        }
        else
        {
            // The inbound path holds the message as downloaded from its blob, then parses it with MimeKit.
            var content = await File.ReadAllBytesAsync(path);
            using var stream = new MemoryStream(content, writable: false);
            var message = new MimeKit.MimeParser(MimeKit.ParserOptions.Default, stream, MimeKit.MimeFormat.Entity, persistent: false).ParseMessage();
            result = await ingest.IngestMessageAsync(message, content, "inbound/bench.eml", "mail");
        }

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var item = result.Items.Single();
        if (item.Outcome != "stored")
        {
            Console.Error.WriteLine($"{item.Outcome}: {item.Reason}");
            return 1;
        }

        var report = await new TableServiceClient(connectionString).GetTableClient(prefix + "Reports").QueryAsync<TableEntity>().FirstAsync();
        Print($"{door} door → tables ({report.GetInt32("Sources"):N0} sources, {report.GetInt64("Records"):N0} records, {report.GetInt64("Messages"):N0} messages)", -1, -1, watch.Elapsed, cpu);
        return 0;
    }

    /// <summary>Writes a report mail (RFC 5322, the gzip report attached in base64, as Google and Microsoft send them) carrying <paramref name="report"/>.</summary>
    public static int GenerateMail(string report, string path)
    {
        using var output = File.Create(path);
        output.Write("From: noreply-dmarc@bench.example\r\nTo: dmarc-reports@bigsender.example\r\nSubject: Report domain: bigsender.example Submitter: bench.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nDMARC aggregate report.\r\n--b1\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"report.xml.gz\"\r\n\r\n"u8);
        using (var input = File.OpenRead(report))
        {
            var chunk = new byte[57 * 1024];
            var line = new char[78];
            int read;
            while ((read = input.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false)) > 0)
            {
                for (var at = 0; at < read; at += 57)
                {
                    Convert.TryToBase64Chars(chunk.AsSpan(at, Math.Min(57, read - at)), line, out var written);
                    line[written] = '\r';
                    line[written + 1] = '\n';
                    output.Write(Encoding.ASCII.GetBytes(line, 0, written + 2));
                }
            }
        }

        output.Write("--b1--\r\n"u8);
        Console.WriteLine($"report mail: {path} ({output.Length:N0} bytes)");
        return 0;
    }

    private static async Task<(ReportIngestService Ingest, string Prefix)> CreateIngestAsync(string connectionString)
    {
        var prefix = "B" + Guid.NewGuid().ToString("N")[..8];
        var store = new ReceivedReportStore(new TableServiceClient(connectionString), new BlobServiceClient(connectionString),
            new ReceivedReportStoreOptions { TablePrefix = prefix, Container = "bench-" + prefix.ToLowerInvariant() });
        // Offline DNS: every PTR lookup is answered at once (NXDOMAIN), so the figure is intake + storage, not the network.
        var enricher = new SourceEnricher(new DnsZone().AddAddress("unused.example", IPAddress.Loopback));
        await store.EnsureCreatedAsync();
        return (new ReportIngestService(store, enricher), prefix);
    }

    /// <summary>Runs the gzip report through the one intake path (<see cref="ReportIngestService"/>) into Azurite.</summary>
    public static async Task<int> StoreAsync(string path, string connectionString)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var (ingest, prefix) = await CreateIngestAsync(connectionString);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await ingest.IngestAsync(bytes, Path.GetFileName(path), "bench");
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var item = result.Items.Single();
        if (item.Outcome != "stored")
        {
            Console.Error.WriteLine($"{item.Outcome}: {item.Reason}");
            return 1;
        }

        long sourceRows = 0;
        await foreach (var row in new TableServiceClient(connectionString).GetTableClient(prefix + "Reports").QueryAsync<TableEntity>())
        {
            sourceRows += row.GetInt32("Sources") ?? 0;
        }

        Print($"intake → tables (ReportIngestService on Azurite; {sourceRows:N0} sources)", -1, -1, watch.Elapsed, cpu);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(double)sourceRows / watch.Elapsed.TotalSeconds:N0} sources/s written"));
        return 0;
    }

    private static void Print(string what, long records, long messages, TimeSpan elapsed, TimeSpan cpu)
    {
        using var process = Process.GetCurrentProcess();
        var rate = records > 0 ? $", {records / elapsed.TotalSeconds:N0} records/s wall, {records / cpu.TotalSeconds:N0} records per CPU-second, {messages:N0} messages" : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {(records >= 0 ? $"{records:N0} records in " : string.Empty)}{elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU{rate}; peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MB"));
    }
}
