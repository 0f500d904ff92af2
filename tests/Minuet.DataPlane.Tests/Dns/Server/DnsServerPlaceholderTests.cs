using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Tests.Dns.Server;

public class DnsServerPlaceholderTests
{
    [Theory]
    [InlineData("web.marathon.cluster.example", (int)DnsRcode.ServFail)]
    [InlineData("web.marathon.l4lb.thisdcos.directory", (int)DnsRcode.ServFail)]
    [InlineData("web.marathon.mesos", (int)DnsRcode.Refused)]
    [InlineData("example.org", (int)DnsRcode.Refused)]
    public async Task BeforeFirstSnapshot_NamesInTheConfiguredDomainAreServFailOthersAreNotOurs(string name, int expected)
    {
        // No snapshot published: only the configured domain (and thisdcos.directory) are ours; with forwarding off,
        // anything else is REFUSED, so a custom domain that were not recognised would show up as REFUSED here.
        var store = new SnapshotStore();
        var options = new DnsServerOptions
        {
            UdpListen = new IPEndPoint(IPAddress.Loopback, 0),
            Workers = 1,
            Upstreams = [],
            Forwarding = false,
            Domain = "Cluster.Example.",
        };
        await using var server = new DnsServer(options, store, NullLoggerFactory.Instance, new DnsMetrics());
        await server.StartAsync(CancellationToken.None);

        var reply = await DnsTestClient.UdpAsync(server.UdpEndPoint!, DnsTestMessages.Query(name, DnsRecordType.A));

        Assert.NotNull(reply);
        Assert.Equal((DnsRcode)expected, DnsTestMessages.Parse(reply).Rcode);
    }
}
