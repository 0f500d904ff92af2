using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>Minimal UDP/TCP DNS client for tests: one query, one reply, bounded by a timeout.</summary>
internal static class DnsTestClient
{
    public static async Task<byte[]?> UdpAsync(IPEndPoint server, byte[] query, int timeoutMs = 5000)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server);
        await socket.SendAsync(query, SocketFlags.None);
        var buffer = new byte[65535];
        using var cts = new CancellationTokenSource(timeoutMs);
        try
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return buffer[..n];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static async Task<List<byte[]>> TcpAsync(IPEndPoint server, IReadOnlyList<byte[]> queries, int timeoutMs = 5000)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeoutMs);
        await socket.ConnectAsync(server, cts.Token);
        // All queries in one write: the server must handle pipelined messages.
        var framed = queries.SelectMany(q => new[] { (byte)(q.Length >> 8), (byte)q.Length }.Concat(q)).ToArray();
        await socket.SendAsync(framed, SocketFlags.None, cts.Token);
        var replies = new List<byte[]>();
        for (int i = 0; i < queries.Count; i++)
        {
            var prefix = new byte[2];
            await ReadExactlyAsync(socket, prefix, cts.Token);
            var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            await ReadExactlyAsync(socket, reply, cts.Token);
            replies.Add(reply);
        }

        return replies;
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken token)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, token);
            if (n == 0)
            {
                throw new IOException("connection closed");
            }

            read += n;
        }
    }
}
