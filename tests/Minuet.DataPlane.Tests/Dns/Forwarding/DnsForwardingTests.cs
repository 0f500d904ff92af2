using System.Net;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Forwarding;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Tests.Dns.Server;

namespace Minuet.DataPlane.Tests.Dns.Forwarding;

public class DnsForwardingTests
{
    private static DnsServerOptions Options(params IPEndPoint[] upstreams) =>
        new() { Upstreams = upstreams, UpstreamTimeout = TimeSpan.FromSeconds(1) };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forward_OutsideZone_RelaysUpstreamReplyWithClientId(bool tcp)
    {
        await using var upstream = new FakeUpstream("127.0.0.77", "198.18.0.7");
        await using var fx = await DnsServerFixture.StartAsync(Options(upstream.EndPoint));
        var query = DnsTestMessages.Query("Example.ORG", DnsRecordType.A, id: 0x4242);
        var reply = tcp ? (await DnsTestClient.TcpAsync(fx.Tcp, [query]))[0] : await DnsTestClient.UdpAsync(fx.Udp, query);
        var m = DnsTestMessages.Parse(reply!);
        Assert.Equal(0x4242, m.Header.Id);
        Assert.Equal(DnsRcode.NoError, m.Rcode);
        Assert.Equal("198.18.0.7", Assert.Single(m.Answers).Data);
        Assert.Equal("Example.ORG.", m.Questions.Single().Name);
        Assert.Equal(tcp ? 1 : 0, upstream.TcpQueries);
        Assert.Equal(tcp ? 0 : 1, upstream.UdpQueries);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Forward_FirstUpstreamSilent_FailsOverToSecond(bool tcp)
    {
        await using var silent = new FakeUpstream("127.0.0.78", "198.18.0.1", silent: true);
        await using var good = new FakeUpstream("127.0.0.79", "198.18.0.2");
        await using var fx = await DnsServerFixture.StartAsync(Options(silent.EndPoint, good.EndPoint));
        var query = DnsTestMessages.Query("example.org", DnsRecordType.A);
        var reply = tcp ? (await DnsTestClient.TcpAsync(fx.Tcp, [query]))[0] : await DnsTestClient.UdpAsync(fx.Udp, query);
        Assert.Equal("198.18.0.2", Assert.Single(DnsTestMessages.Parse(reply!).Answers).Data);
        Assert.Equal(1, tcp ? silent.TcpQueries : silent.UdpQueries);
        Assert.True(fx.Server.ForwarderErrors >= 1);
    }

    [Fact]
    public async Task Forward_AllUpstreamsFail_ServFail()
    {
        await using var silent = new FakeUpstream("127.0.0.80", "198.18.0.1", silent: true);
        await using var fx = await DnsServerFixture.StartAsync(Options(silent.EndPoint, FakeUpstream.Dead("127.0.0.81")));
        var m = DnsTestMessages.Parse((await DnsTestClient.UdpAsync(fx.Udp, DnsTestMessages.Query("example.org", DnsRecordType.A, id: 7)))!);
        Assert.Equal((DnsRcode.ServFail, (ushort)7), (m.Rcode, m.Header.Id));
        Assert.Equal("example.org.", m.Questions.Single().Name);
        Assert.True(fx.Server.Metrics.ForwarderErrors >= 1);
    }

    [Fact]
    public async Task Forward_Disabled_RefusedWithoutContactingUpstream()
    {
        await using var upstream = new FakeUpstream("127.0.0.82", "198.18.0.1");
        await using var fx = await DnsServerFixture.StartAsync(Options(upstream.EndPoint) with { Forwarding = false });
        var m = DnsTestMessages.Parse((await DnsTestClient.UdpAsync(fx.Udp, DnsTestMessages.Query("example.org", DnsRecordType.A)))!);
        Assert.Equal(DnsRcode.Refused, m.Rcode);
        Assert.Equal(0, upstream.UdpQueries);
    }

    [Fact]
    public async Task Forward_DigThroughServer_GetsUpstreamAnswer()
    {
        await using var upstream = new FakeUpstream("127.0.0.83", "198.18.0.9");
        await using var fx = await DnsServerFixture.StartAsync(Options(upstream.EndPoint));
        var output = await DigRunner.RunAsync(fx.Udp, "example.org", "A");
        Assert.Contains("198.18.0.9", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvConf_SkipsSelfAndParsesNameservers()
    {
        string[] lines = ["# comment", "nameserver 127.0.0.1", "nameserver 10.255.255.53", "search x", "nameserver fd00::53", "nameserver 10.255.255.53"];
        var self = new IPEndPoint(IPAddress.Any, 53);
        Assert.Equal(["10.255.255.53:53", "[fd00::53]:53"], ResolvConf.Parse(lines, self).Select(e => e.ToString()));
        Assert.Equal(3, ResolvConf.Parse(lines, new IPEndPoint(IPAddress.Loopback, 5353)).Count);
    }

    [Fact]
    public void ResolvConf_WildcardListen_SkipsThisHostsOwnInterfaceAddresses()
    {
        string[] lines = ["nameserver 198.18.7.1", "nameserver 198.18.7.2"];
        var host = new HashSet<IPAddress> { IPAddress.Parse("198.18.7.1") };
        Assert.Equal(["198.18.7.2:53"], ResolvConf.Parse(lines, new IPEndPoint(IPAddress.Any, 53), host).Select(e => e.ToString()));

        // Bound to one address, the others are different servers even when they are ours.
        Assert.Equal(2, ResolvConf.Parse(lines, new IPEndPoint(IPAddress.Parse("198.18.7.3"), 53), host).Count);
    }
}
