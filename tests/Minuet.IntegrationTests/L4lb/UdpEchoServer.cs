using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A UDP server in a backend namespace: each datagram is answered with <c>name:payload</c> to its sender, so a
/// client behind a UDP VIP learns which backend served it and that the answer belongs to its question.
/// </summary>
internal sealed class UdpEchoServer : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private UdpEchoServer(string name, Socket socket)
    {
        Name = name;
        _socket = socket;
        _loop = Task.Run(LoopAsync);
    }

    public string Name { get; }

    public int Datagrams;

    public static UdpEchoServer Start(string ns, string name, IPAddress address, int port)
    {
        var socket = NetnsRunner.Run(ns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(address, port));
            return s;
        });
        return new UdpEchoServer(name, socket);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[512];
        var prefix = Encoding.ASCII.GetBytes(Name + ":");
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer.AsMemory(prefix.Length), any, _stop.Token);
                Interlocked.Increment(ref Datagrams);
                prefix.CopyTo(buffer, 0);
                await _socket.SendToAsync(buffer.AsMemory(0, prefix.Length + received.ReceivedBytes), received.RemoteEndPoint, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
