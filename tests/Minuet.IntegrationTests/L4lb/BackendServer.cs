using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A tiny TCP server in a backend namespace. For each connection it reads one line: <c>name</c> gets the
/// backend's name back; <c>stream N</c> gets N bytes of <see cref="StreamPattern"/> in 64 KiB chunks, paced so a transfer outlives a daemon
/// restart. Everything else (or nothing) also gets the name, so plain connects identify the backend.
/// </summary>
internal sealed class BackendServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    private BackendServer(string name, Socket listener)
    {
        Name = name;
        _listener = listener;
        _ = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    public int Connections;

    public static BackendServer Start(string ns, string name, IPAddress address, int port)
    {
        var listener = NetnsRunner.Run(ns, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(512);
            return socket;
        });
        return new BackendServer(name, listener);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref Connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                var buffer = new byte[256];
                using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                readTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                int read = 0;
                try
                {
                    while (read < buffer.Length && !buffer.AsSpan(0, read).Contains((byte)'\n'))
                    {
                        int n = await client.ReceiveAsync(buffer.AsMemory(read), readTimeout.Token);
                        if (n == 0)
                        {
                            break;
                        }

                        read += n;
                    }
                }
                catch (OperationCanceledException)
                {
                }

                var line = Encoding.ASCII.GetString(buffer, 0, read).Trim();
                if (line.StartsWith("stream ", StringComparison.Ordinal) && long.TryParse(line[7..], out long total))
                {
                    var chunk = new byte[64 * 1024];
                    for (long sent = 0; sent < total;)
                    {
                        int n = (int)Math.Min(chunk.Length, total - sent);
                        StreamPattern.Fill(chunk.AsSpan(0, n), sent);
                        sent += await client.SendAsync(chunk.AsMemory(0, n), _stop.Token);
                        await Task.Delay(5, _stop.Token);
                    }
                }
                else
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token);
                }

                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
