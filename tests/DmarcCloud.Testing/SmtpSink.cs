using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace DmarcCloud.Testing;

/// <summary>
/// A small real SMTP server (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) on 127.0.0.1 and a
/// free port, keeping every message it accepts. Recipients whose local part starts with "reject" get 550,
/// "tempfail" get 451, so permanent and transient refusals can be tested. A test can also make the sink refuse
/// while it runs: <see cref="RecipientReply"/> answers chosen recipients with a refusal, <see cref="RefuseSessionsWith"/>
/// greets every new session with a refusal (e.g. 421) and closes it.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>When each client connected.</summary>
    public ConcurrentQueue<DateTimeOffset> ConnectedAt { get; } = new();

    /// <summary>Every RCPT TO the sink saw, accepted or not.</summary>
    public ConcurrentQueue<string> RecipientAttempts { get; } = new();

    /// <summary>Every RCPT TO the sink refused (by the "reject"/"tempfail" rule or <see cref="RecipientReply"/>).</summary>
    public ConcurrentQueue<string> RefusedRecipients { get; } = new();

    /// <summary>
    /// Called for each RCPT TO address; a non-null result (a full reply line such as "451 4.3.0 Try again later")
    /// is sent instead of accepting. Null (the default) keeps the normal rules.
    /// </summary>
    public Func<string, string?>? RecipientReply { get; set; }

    /// <summary>When set (e.g. "421 4.3.2 Service not available"), each new session gets this greeting and is closed.</summary>
    public string? RefuseSessionsWith { get; set; }

    /// <summary>How many sessions were refused with <see cref="RefuseSessionsWith"/>.</summary>
    public int RefusedSessions => Volatile.Read(ref _refusedSessions);

    private int _refusedSessions;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            ConnectedAt.Enqueue(DateTimeOffset.UtcNow);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.Latin1);
        using var writer = new StreamWriter(stream, Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        if (RefuseSessionsWith is string refusal)
        {
            Interlocked.Increment(ref _refusedSessions);
            await writer.WriteLineAsync(refusal);
            return;
        }

        await writer.WriteLineAsync("220 sink.test ESMTP");
        var accepted = 0;
        while (await reader.ReadLineAsync(_stop.Token) is string line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-sink.test\r\n250-8BITMIME\r\n250 SIZE 52428800");
                    break;
                case "HELO":
                case "NOOP":
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RSET":
                case "MAIL":
                    accepted = 0;
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    var address = line[(line.IndexOf('<', StringComparison.Ordinal) + 1)..line.IndexOf('>', StringComparison.Ordinal)];
                    RecipientAttempts.Enqueue(address);
                    if (RecipientReply?.Invoke(address) is string reply)
                    {
                        RefusedRecipients.Enqueue(address);
                        await writer.WriteLineAsync(reply);
                    }
                    else if (address.StartsWith("reject", StringComparison.OrdinalIgnoreCase))
                    {
                        RefusedRecipients.Enqueue(address);
                        await writer.WriteLineAsync("550 5.1.1 No such mailbox");
                    }
                    else if (address.StartsWith("tempfail", StringComparison.OrdinalIgnoreCase))
                    {
                        RefusedRecipients.Enqueue(address);
                        await writer.WriteLineAsync("451 4.3.0 Try again later");
                    }
                    else
                    {
                        accepted++;
                        await writer.WriteLineAsync("250 OK");
                    }

                    break;
                case "DATA":
                    if (accepted == 0)
                    {
                        await writer.WriteLineAsync("554 No valid recipients");
                        break;
                    }

                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is string dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    Messages.Enqueue(MimeMessage.Load(new MemoryStream(Encoding.Latin1.GetBytes(data.ToString()))));
                    await writer.WriteLineAsync("250 2.0.0 Queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("502 Command not implemented");
                    break;
            }
        }
    }
}
