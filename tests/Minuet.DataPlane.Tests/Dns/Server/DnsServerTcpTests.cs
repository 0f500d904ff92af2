using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;

namespace Minuet.DataPlane.Tests.Dns.Server;

public class DnsServerTcpTests
{
    [Fact]
    public async Task Tcp_PipelinedQueries_AllAnsweredInOrderOnOneConnection()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var queries = Enumerable.Range(0, 300)
            .Select(i => DnsTestMessages.Query(i % 2 == 0 ? "web.marathon.mesos" : "nope.marathon.mesos", DnsRecordType.A, id: (ushort)i))
            .ToList();
        var replies = await DnsTestClient.TcpAsync(fx.Tcp, queries);
        for (int i = 0; i < replies.Count; i++)
        {
            var m = DnsTestMessages.Parse(replies[i]);
            Assert.Equal(i, m.Header.Id);
            Assert.Equal(i % 2 == 0 ? DnsRcode.NoError : DnsRcode.NxDomain, m.Rcode);
        }
    }

    [Fact]
    public async Task Tcp_BigAnswer_NeverTruncated()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var m = DnsTestMessages.Parse((await DnsTestClient.TcpAsync(fx.Tcp, [DnsTestMessages.Query("big.marathon.mesos", DnsRecordType.A)]))[0]);
        Assert.Equal(60, m.Answers.Count);
        Assert.False(m.Tc);
    }

    [Fact]
    public async Task Tcp_IdleConnection_IsClosedByServer()
    {
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(fx.Tcp);
        using var cts = new CancellationTokenSource(5000);
        int n = await socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token);
        Assert.Equal(0, n);
    }

    [Fact]
    public async Task Tcp_ClientTricklingBytesOfOneQuery_IsClosedAtTheIdleTimeout()
    {
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { TcpIdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(fx.Tcp);
        using var cts = new CancellationTokenSource(10_000);
        var closed = socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token).AsTask();

        // A 200-byte query announced, then one byte every 100 ms for up to 4 s: bytes keep arriving, a query never does.
        await socket.SendAsync(new byte[] { 0, 200 }, SocketFlags.None);
        int sent = 0;
        for (; sent < 40 && !closed.IsCompleted; sent++)
        {
            try
            {
                await socket.SendAsync(new byte[] { 0 }, SocketFlags.None);
            }
            catch (SocketException)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(sent < 40, "the server kept a trickling connection open for 4 s with a 300 ms idle timeout");

        // Closing with unread bytes makes the kernel answer the next segment with RST: a reset is a close as well.
        try
        {
            Assert.Equal(0, await closed);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    [Fact]
    public async Task Tcp_ShortLengthPrefix_ClosesConnection()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(fx.Tcp);
        await socket.SendAsync(new byte[] { 0, 3, 1, 2, 3 }, SocketFlags.None);
        using var cts = new CancellationTokenSource(5000);
        Assert.Equal(0, await socket.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
    }

    [Fact]
    public async Task Tcp_OverConnectionCap_NewConnectionClosed_ExistingServed()
    {
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { MaxTcpConnections = 2 });
        using var a = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var b = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await a.ConnectAsync(fx.Tcp);
        await b.ConnectAsync(fx.Tcp);
        await Task.Delay(100);
        using var c = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(fx.Tcp);
        using var cts = new CancellationTokenSource(5000);
        Assert.Equal(0, await c.ReceiveAsync(new byte[16], SocketFlags.None, cts.Token));
        Assert.True(fx.Server.Metrics.TcpRejected >= 1);
        a.Dispose();
        await Task.Delay(200);
        var reply = (await DnsTestClient.TcpAsync(fx.Tcp, [DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A)]))[0];
        Assert.Equal(3, DnsTestMessages.Parse(reply).Answers.Count);
    }
}
