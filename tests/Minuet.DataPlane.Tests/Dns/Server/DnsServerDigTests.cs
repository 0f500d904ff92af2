using Minuet.DataPlane.Dns.Server;

namespace Minuet.DataPlane.Tests.Dns.Server;

public class DnsServerDigTests
{
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public async Task Dig_ARecord_AnsweredOverUdpAndTcp(bool tcp, bool batched)
    {
        Assert.True(DigRunner.Available, "dig is missing (test.sh installs dnsutils)");
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { BatchedUdp = batched });
        var output = await DigRunner.RunAsync(fx.Udp, "Web.Marathon.Mesos", "A", tcp ? "+tcp" : "+notcp");
        Assert.Contains("status: NOERROR", output, StringComparison.Ordinal);
        Assert.Contains("flags: qr aa rd ra", output, StringComparison.Ordinal);
        Assert.Contains(";Web.Marathon.Mesos.", output, StringComparison.Ordinal);
        foreach (var ip in new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3" })
        {
            Assert.Matches($@"Web\.Marathon\.Mesos\.\s+60\s+IN\s+A\s+{ip.Replace(".", @"\.", StringComparison.Ordinal)}", output);
        }
    }

    [Fact]
    public async Task Dig_UnknownName_NxDomainWithSoaBoundedByNegativeTtl()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var output = await DigRunner.RunAsync(fx.Udp, "nope.marathon.mesos", "A");
        Assert.Contains("status: NXDOMAIN", output, StringComparison.Ordinal);
        // RFC 2308: cached for min(SOA TTL, MINIMUM), both the 5 s negative TTL, not the 60 s name TTL.
        Assert.Matches(@"mesos\.\s+5\s+IN\s+SOA\s+ns1\.mesos\. root\.ns1\.mesos\. 1700000000 60 600 86400 5", output);
    }

    [Fact]
    public async Task Dig_Srv_HasAdditionalAddresses()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var output = await DigRunner.RunAsync(fx.Udp, "_web._tcp.marathon.mesos", "SRV");
        Assert.Contains("ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 3", output, StringComparison.Ordinal); // 2 A + OPT
        Assert.Matches(@"web-abcde-s1\.marathon\.slave\.mesos\.\s+60\s+IN\s+A\s+192\.168\.0\.1", output);
    }

    [Fact]
    public async Task Dig_BigAnswerWithoutEdns_TruncatedOverUdp_CompleteOverTcp()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var udp = await DigRunner.RunAsync(fx.Udp, "big.marathon.mesos", "A", "+noedns", "+ignore");
        Assert.Contains(" tc", udp, StringComparison.Ordinal);
        var tcp = await DigRunner.RunAsync(fx.Udp, "big.marathon.mesos", "A", "+tcp");
        Assert.Contains("ANSWER: 60,", tcp, StringComparison.Ordinal);
        Assert.DoesNotContain(" tc", tcp.Split('\n').First(l => l.Contains("flags:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_NewSnapshot_IsServedWithoutRestart()
    {
        await using var fx = await DnsServerFixture.StartAsync();
        var names = TestRecordSets.Small().Names.ToDictionary(kv => kv.Key, kv => kv.Value);
        names["new.marathon.mesos"] = new Minuet.DataPlane.Dns.Records.DnsNameRecords { A = [System.Net.IPAddress.Parse("10.7.7.7")] };
        fx.Store.Publish(DnsServerFixture.Snapshot(new Minuet.DataPlane.Dns.Records.DnsRecordSet(
            TestRecordSets.Zone, System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(names))));
        var output = await DigRunner.RunAsync(fx.Udp, "new.marathon.mesos", "A");
        Assert.Contains("10.7.7.7", output, StringComparison.Ordinal);
    }
}
