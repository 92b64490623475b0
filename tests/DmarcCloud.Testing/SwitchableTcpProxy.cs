using System.Net;
using System.Net.Sockets;

namespace DmarcCloud.Testing;

/// <summary>
/// A loopback TCP proxy in front of one Azurite port that can be switched off: while off, new connections
/// are accepted and closed at once and the open ones are cut, so every storage call of the client fails
/// as during a storage outage. Listens on 127.0.0.1 on a free port.
/// </summary>
public sealed class SwitchableTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _acceptLoop;
    private volatile bool _enabled;
    private int _refused;

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
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
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
