using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Testing;

/// <summary>
/// A loopback TCP proxy in front of one Azurite port that can be switched off: while off, new connections
/// are accepted and closed at once and the open ones are cut, so every storage call of the client fails
/// as during a storage outage. It can also stall: the open connections are cut and new ones are accepted and
/// held without an answer, so every call hangs until the client's own time-out, as with an overloaded server.
/// Listens on 127.0.0.1 on a free port.
/// </summary>
public sealed class SwitchableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private readonly List<TcpClient> _held = [];
    private volatile bool _enabled;
    private volatile bool _stalled;
    private int _refused;
    private int _stalledConnections;

    public SwitchableTcpProxy(int targetPort, bool enabled)
    {
        _targetPort = targetPort;
        _enabled = enabled;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Connections refused (accepted and closed) while off.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Connections accepted and held without an answer while stalled.</summary>
    public int StalledConnections => Volatile.Read(ref _stalledConnections);

    /// <summary>While true, open connections are cut and new ones are held unanswered; set false, the held ones are cut.</summary>
    public bool Stalled
    {
        get => _stalled;
        set
        {
            _stalled = value;
            CloseAll();
        }
    }

    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            if (!value)
            {
                CloseAll();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        CloseAll();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private void CloseAll()
    {
        lock (_open)
        {
            foreach (var client in _open.Concat(_held))
            {
                client.Dispose();
            }

            _open.Clear();
            _held.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }

            if (!_enabled)
            {
                Interlocked.Increment(ref _refused);
                inbound.Client.LingerState = new LingerOption(true, 0); // RST, as a refused connection
                inbound.Dispose();
                continue;
            }

            if (_stalled)
            {
                Interlocked.Increment(ref _stalledConnections);
                lock (_open)
                {
                    _held.Add(inbound);
                }

                continue;
            }

            _ = Task.Run(() => PumpAsync(inbound));
        }
    }

    private async Task PumpAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, _stopping.Token), b.CopyToAsync(a, _stopping.Token));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // a cut connection: the client sees the fault, which is the point
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
