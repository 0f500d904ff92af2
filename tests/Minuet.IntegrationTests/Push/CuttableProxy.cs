using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.Push;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a master: <see cref="CutAll"/> resets every open connection and
/// <see cref="Pause"/> refuses new ones (closes them at once), as a network blip would. Remembers each request line.
/// </summary>
internal sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly List<string> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _accept = Task.CompletedTask;

    private CuttableProxy(int targetPort) => _targetPort = targetPort;

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public volatile bool Pause;

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static Task<CuttableProxy> StartAsync(int targetPort)
    {
        var proxy = new CuttableProxy(targetPort);
        proxy._listener.Start();
        proxy._accept = proxy.AcceptLoopAsync();
        return Task.FromResult(proxy);
    }

    public void CutAll()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                if (client.Client is { Connected: true } socket)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptLoopAsync()
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

            if (Pause)
            {
                client.Dispose();
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }

            var fromClient = CopyAsync(client.GetStream(), upstream.GetStream(), remember: true);
            var fromServer = CopyAsync(upstream.GetStream(), client.GetStream(), remember: false);
            await Task.WhenAny(fromClient, fromServer);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task CopyAsync(Stream from, Stream to, bool remember)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                if (remember)
                {
                    string text = Encoding.ASCII.GetString(buffer, 0, read);
                    int end = text.IndexOf('\r', StringComparison.Ordinal);
                    lock (_requests)
                    {
                        _requests.Add(end > 0 ? text[..end] : text);
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accept;
        _stop.Dispose();
    }
}
