using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DmarcCloud.Core.Dns;
using DmarcCloud.OfflineDns;

namespace DmarcCloud.Testing;

/// <summary>
/// A real DNS server on 127.0.0.1 (UDP and TCP on one free port) answering from a <see cref="DnsZone"/>, with the
/// wire format written by hand (RFC 1035 §4). It can drop queries (timeouts), answer SERVFAIL or REFUSED, and
/// set TC on every UDP answer so that the client must retry over TCP. Aliases are answered with the CNAME record
/// only, so the client has to follow the chain itself.
/// </summary>
public sealed class TestDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1, TypeNs = 2, TypeCname = 5, TypeSoa = 6, TypePtr = 12, TypeMx = 15, TypeTxt = 16, TypeAaaa = 28;

    private readonly DnsZone _zone;
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _udpQueries;
    private int _tcpQueries;

    private TestDnsServer(DnsZone zone, UdpClient udp, TcpListener tcp)
    {
        _zone = zone;
        _udp = udp;
        _tcp = tcp;
        EndPoint = (IPEndPoint)udp.Client.LocalEndPoint!;
        _udpLoop = Task.Run(ServeUdpAsync);
        _tcpLoop = Task.Run(ServeTcpAsync);
    }

    /// <summary>The address and port both transports listen on.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>What the server does with queries; can be changed while it runs.</summary>
    public TestDnsServerBehavior Behavior { get; set; } = TestDnsServerBehavior.Answer;

    /// <summary>Set TC (and send no records) on every UDP answer.</summary>
    public bool TruncateUdp { get; set; }

    /// <summary>The TTL of every record served (SOA records in negative answers included).</summary>
    public uint Ttl { get; set; } = 300;

    /// <summary>Queries received over UDP.</summary>
    public int UdpQueries => Volatile.Read(ref _udpQueries);

    /// <summary>Queries received over TCP.</summary>
    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    /// <summary>Starts a server for <paramref name="zone"/> on a free loopback port.</summary>
    public static TestDnsServer Start(DnsZone zone)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
            var tcp = new TcpListener(IPAddress.Loopback, port);
            try
            {
                tcp.Start();
                return new TestDnsServer(zone, udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose(); // the TCP side of that port is taken: try another free port
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _udpQueries);
            var answer = Respond(received.Buffer, udp: true);
            if (answer is not null)
            {
                await _udp.SendAsync(answer, received.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                break;
            }

            connections.Add(ServeConnectionAsync(client));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeConnectionAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var lengthBytes = new byte[2];
            try
            {
                while (true)
                {
                    await stream.ReadExactlyAsync(lengthBytes, _stop.Token);
                    var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
                    await stream.ReadExactlyAsync(query, _stop.Token);
                    Interlocked.Increment(ref _tcpQueries);
                    var answer = Respond(query, udp: false);
                    if (answer is null)
                    {
                        continue;
                    }

                    var framed = new byte[answer.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)answer.Length);
                    answer.CopyTo(framed, 2);
                    await stream.WriteAsync(framed, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client closed the connection, or the server is stopping.
            }
        }
    }

    /// <summary>Builds the answer to one query message, or null to stay silent.</summary>
    private byte[]? Respond(byte[] query, bool udp)
    {
        if (Behavior == TestDnsServerBehavior.Drop || query.Length < 12)
        {
            return null;
        }

        // Question: QNAME labels, QTYPE, QCLASS (RFC 1035 §4.1.2). Anything after it (EDNS OPT) is ignored.
        var offset = 12;
        var labels = new List<string>();
        while (query[offset] != 0)
        {
            int length = query[offset];
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, length));
            offset += length + 1;
        }

        offset++;
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        var questionEnd = offset + 4;
        var name = string.Join('.', labels);

        var rcode = Behavior switch
        {
            TestDnsServerBehavior.ServFail => 2,
            TestDnsServerBehavior.Refused => 5,
            _ => 0,
        };
        var answers = new List<byte[]>();
        var authority = new List<byte[]>();
        if (rcode == 0)
        {
            rcode = Lookup(name, qtype, answers, authority);
        }

        var truncated = udp && TruncateUdp;
        if (truncated)
        {
            answers.Clear();
            authority.Clear();
        }

        using var message = new MemoryStream();
        var header = new byte[12];
        header[0] = query[0];
        header[1] = query[1];
        header[2] = (byte)(0x80 | (query[2] & 0x79) | 0x04 | (truncated ? 0x02 : 0)); // QR, opcode and RD copied, AA, TC
        header[3] = (byte)(0x80 | rcode); // RA, RCODE
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(8), (ushort)authority.Count);
        message.Write(header);
        message.Write(query, 12, questionEnd - 12);
        foreach (var record in answers.Concat(authority))
        {
            message.Write(record);
        }

        return message.ToArray();
    }

    private int Lookup(string name, ushort qtype, List<byte[]> answers, List<byte[]> authority)
    {
        var type = qtype switch
        {
            TypeA => DnsRecordType.A,
            TypeAaaa => DnsRecordType.Aaaa,
            TypeMx => DnsRecordType.Mx,
            TypeTxt => DnsRecordType.Txt,
            TypePtr => DnsRecordType.Ptr,
            TypeCname => DnsRecordType.Cname,
            TypeNs => DnsRecordType.Ns,
            TypeSoa => DnsRecordType.Soa,
            _ => (DnsRecordType?)null,
        };
        if (type is null)
        {
            return 4; // NOTIMP
        }

        var alias = _zone.GetRecords(name, DnsRecordType.Cname);
        if (type != DnsRecordType.Cname && alias.Count > 0 && _zone.GetRecords(name, type.Value).Count == 0)
        {
            answers.Add(Record(name, TypeCname, Name((string)alias[0])));
            return 0;
        }

        var result = _zone.Resolve<object>(name, type.Value);
        switch (result.Status)
        {
            case DnsResultStatus.Success:
                answers.AddRange(result.Records.Select(r => Record(name, qtype, Data(type.Value, r))));
                return 0;
            case DnsResultStatus.TemporaryFailure:
                return 2;
            default:
                if (FindSoa(name) is { } soa)
                {
                    authority.Add(Record(soa.Owner, TypeSoa, Data(DnsRecordType.Soa, soa.Data)));
                }

                return result.Status == DnsResultStatus.NxDomain ? 3 : 0;
        }
    }

    private (string Owner, string Data)? FindSoa(string name)
    {
        for (var n = DnsName.Normalize(name); n is not null; n = DnsName.Parent(n))
        {
            var soa = _zone.GetRecords(n, DnsRecordType.Soa);
            if (soa.Count > 0)
            {
                return (n, (string)soa[0]);
            }
        }

        return null;
    }

    private byte[] Record(string owner, ushort type, byte[] data)
    {
        using var record = new MemoryStream();
        record.Write(Name(owner));
        var fixedPart = new byte[10];
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart, type);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), 1); // IN
        BinaryPrimitives.WriteUInt32BigEndian(fixedPart.AsSpan(4), Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(8), (ushort)data.Length);
        record.Write(fixedPart);
        record.Write(data);
        return record.ToArray();
    }

    private static byte[] Data(DnsRecordType type, object value)
    {
        switch (type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                return ((IPAddress)value).GetAddressBytes();
            case DnsRecordType.Mx:
            {
                var mx = (MxRecord)value;
                var exchange = Name(mx.Exchange);
                var data = new byte[2 + exchange.Length];
                BinaryPrimitives.WriteUInt16BigEndian(data, mx.Preference);
                exchange.CopyTo(data, 2);
                return data;
            }

            case DnsRecordType.Txt:
            {
                using var data = new MemoryStream();
                foreach (var s in ((TxtRecord)value).Strings)
                {
                    var bytes = Encoding.UTF8.GetBytes(s);
                    data.WriteByte((byte)bytes.Length);
                    data.Write(bytes);
                }

                return data.ToArray();
            }

            case DnsRecordType.Soa:
            {
                // "mname. rname. serial refresh retry expire minimum", as ZoneFileParser writes it.
                var fields = ((string)value).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                using var data = new MemoryStream();
                data.Write(Name(fields[0]));
                data.Write(Name(fields[1]));
                var numbers = new byte[20];
                for (var i = 0; i < 5; i++)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(i * 4), uint.Parse(fields[2 + i], CultureInfo.InvariantCulture));
                }

                data.Write(numbers);
                return data.ToArray();
            }

            default:
                return Name((string)value);
        }
    }

    /// <summary>A domain name as length-prefixed labels, uncompressed (RFC 1035 §3.1).</summary>
    private static byte[] Name(string name)
    {
        using var data = new MemoryStream();
        foreach (var label in DnsName.Normalize(name).Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label);
            data.WriteByte((byte)bytes.Length);
            data.Write(bytes);
        }

        data.WriteByte(0);
        return data.ToArray();
    }
}
