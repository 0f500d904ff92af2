using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Minuet.DataPlane.Tests.Dns.Forwarding;

/// <summary>
/// A stand-in upstream resolver on a 127.0.0.x address (UDP and TCP, same port). It answers every query with
/// its question and one A record, or stays silent when <c>silent</c>; it counts what it received.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private readonly byte[] _answerAddress;
    private readonly bool _silent;
    private int _udpQueries;
    private int _tcpQueries;

    public FakeUpstream(string address, string answer, bool silent = false)
    {
        _answerAddress = IPAddress.Parse(answer).GetAddressBytes();
        _silent = silent;
        var ip = IPAddress.Parse(address);
        _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _udp.Bind(new IPEndPoint(ip, 0));
        EndPoint = (IPEndPoint)_udp.LocalEndPoint!;
        _tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _tcp.Bind(EndPoint);
        _tcp.Listen(16);
        _udpLoop = UdpLoopAsync();
        _tcpLoop = TcpLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    /// <summary>An address:port on 127.0.0.x where nothing listens (UDP gets ICMP port unreachable, TCP a reset).</summary>
    public static IPEndPoint Dead(string address)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return (IPEndPoint)s.LocalEndPoint!;
    }

    public byte[] Answer(ReadOnlySpan<byte> query)
    {
        // Header with QR|RD|RA, the question copied, one A record pointing at the question name.
        int questionEnd = DnsHeader12 + QuestionLength(query[DnsHeader12..]);
        var reply = new byte[questionEnd + 16];
        query[..questionEnd].CopyTo(reply);
        reply[2] = (byte)(0x80 | (query[2] & 0x01));
        reply[3] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        byte[] rr = [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, .. _answerAddress];
        rr.CopyTo(reply, questionEnd);
        return reply;
    }

    private const int DnsHeader12 = 12;

    private static int QuestionLength(ReadOnlySpan<byte> question)
    {
        int pos = 0;
        while (question[pos] != 0)
        {
            pos += question[pos] + 1;
        }

        return pos + 1 + 4;
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[4096];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token);
                Interlocked.Increment(ref _udpQueries);
                if (!_silent)
                {
                    await _udp.SendToAsync(Answer(buffer.AsSpan(0, n)), SocketFlags.None, from, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var prefix = new byte[2];
                        await client.ReceiveAsync(prefix, SocketFlags.None, _stop.Token);
                        var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
                        int read = 0;
                        while (read < query.Length)
                        {
                            read += await client.ReceiveAsync(query.AsMemory(read), SocketFlags.None, _stop.Token);
                        }

                        Interlocked.Increment(ref _tcpQueries);
                        if (_silent)
                        {
                            await Task.Delay(Timeout.Infinite, _stop.Token);
                        }

                        var reply = Answer(query);
                        await client.SendAsync(new byte[] { (byte)(reply.Length >> 8), (byte)reply.Length }.Concat(reply).ToArray(), SocketFlags.None);
                    }
                    catch (Exception e) when (e is OperationCanceledException or SocketException)
                    {
                    }
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Dispose();
        await Task.WhenAll(_udpLoop, _tcpLoop);
        _stop.Dispose();
    }
}
