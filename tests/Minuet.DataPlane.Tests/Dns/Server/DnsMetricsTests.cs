using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Tests.Dns.Server;

public class DnsMetricsTests
{
    [Fact]
    public void RecordQuery_ShowsUpInPrometheusTextByTypeAndRcode()
    {
        var registry = new DataPlaneMetrics();
        var metrics = new DnsMetrics(registry);
        metrics.RecordQuery(DnsRecordType.A, DnsRcode.NoError, 10);
        metrics.RecordQuery(DnsRecordType.A, DnsRcode.NoError, 10);
        metrics.RecordQuery(DnsRecordType.Srv, DnsRcode.NxDomain, 10);
        metrics.RecordQuery((DnsRecordType)99, DnsRcode.Refused, 10);
        metrics.RecordForwarderError();

        string text = registry.Render();
        Assert.Contains("minuet_dns_queries_total{qtype=\"A\",rcode=\"NOERROR\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dns_queries_total{qtype=\"SRV\",rcode=\"NXDOMAIN\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dns_queries_total{qtype=\"OTHER\",rcode=\"REFUSED\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dns_query_duration_seconds_count 4", text, StringComparison.Ordinal);
        Assert.Contains("minuet_dns_forwarder_errors_total 1", text, StringComparison.Ordinal);
        Assert.Equal(4, metrics.TotalQueries);
    }

    [Fact]
    public async Task Server_CountsAnsweredQueries()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        for (int i = 0; i < 5; i++)
        {
            Assert.NotNull(await DnsTestClient.UdpAsync(fx.Udp, DnsTestMessages.Query("nope.marathon.mesos", DnsRecordType.Aaaa)));
        }

        Assert.Equal(5, fx.Server.Metrics.Queries(DnsRecordType.Aaaa, DnsRcode.NxDomain));
    }
}
