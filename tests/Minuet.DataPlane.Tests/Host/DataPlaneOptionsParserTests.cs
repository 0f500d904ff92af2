using System.Net;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Host;

namespace Minuet.DataPlane.Tests.Host;

public class DataPlaneOptionsParserTests
{
    [Fact]
    public void Parse_IssueCommandLine_GivesThoseAddressesAndDefaults()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments
        {
            StateFile = "s.json", DnsListen = "127.0.0.1:15353", HttpListen = "127.0.0.1:16421", L4lb = "off",
        });

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal(Path.GetFullPath("s.json"), options.StateFile);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:15353"), options.DnsListen);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:16421"), options.HttpListen);
        Assert.False(options.L4lb);
        Assert.Equal("mesos", options.Domain);
        Assert.Equal(60, options.Ttl);
        Assert.Equal(5, options.NegativeTtl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Refresh);
        Assert.Equal(IpSources.Default, options.IpSources);
        Assert.True(options.Forward);
    }

    [Fact]
    public void Parse_NoAddresses_DefaultsToPort53AndLoopback61421()
    {
        var (options, _) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { StateUrl = "http://127.0.0.1:5050/master/state" });

        Assert.Equal(new IPEndPoint(IPAddress.Any, 53), options!.DnsListen);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 61421), options.HttpListen);
        Assert.True(options.L4lb);
    }

    [Fact]
    public void Parse_AllOptions_AreApplied()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments
        {
            StateUrl = "http://127.0.0.1:5050/master/state", Refresh = "250ms", Domain = "Cluster.Local", Ttl = "5",
            LabelSpec = "rfc952", IpSources = "docker,host", Upstreams = ["127.0.0.2", "[::1]:5353"], L4lb = "on",
        });

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options!.Refresh);
        Assert.Equal("cluster.local", options.Domain);
        Assert.Equal(5, options.Ttl);
        Assert.Equal(DnsLabelSpec.Rfc952, options.LabelSpec);
        Assert.Equal([IpSource.Docker, IpSource.Host], options.IpSources);
        Assert.Equal([IPEndPoint.Parse("127.0.0.2:53"), IPEndPoint.Parse("[::1]:5353")], options.Upstreams);
    }

    [Theory]
    [InlineData("--state-file/--state-url/--master-url/--masters: one of them is required")]
    public void Parse_NoSource_NamesEverySourceOption(string expected)
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments());
        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MasterUrl_IsTheSource()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { MasterUrl = "http://127.0.0.1:5050" });

        Assert.Empty(errors);
        Assert.Equal(new Uri("http://127.0.0.1:5050/"), options!.MasterUrl);
        Assert.Null(options.StateUrl);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:5050", "--master-url: must be the master's base http:// URL")]
    [InlineData("http://127.0.0.1:5050/?since=3", "--master-url: must be the master's base http:// URL")]
    public void Parse_BadMasterUrl_NamesTheOption(string url, string expected)
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { MasterUrl = url });

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MasterUrlAndStateUrl_AsksForOneSource()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { MasterUrl = "http://127.0.0.1:5050", StateUrl = "http://127.0.0.1:5050/master/state" });

        Assert.Null(options);
        Assert.Contains("--state-file/--state-url/--master-url/--masters: give one source, not several", errors);
    }

    [Fact]
    public void Parse_ManyBadOptions_ReportsEveryOneByName()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments
        {
            StateUrl = "ftp://x", Refresh = "soon", DnsListen = "localhost:53", HttpListen = "1.2.3.4:99999",
            Domain = "bad domain", Ttl = "-1", NegativeTtl = "soon", LabelSpec = "rfc9999", IpSources = "netinfo,label", Upstreams = ["nameserver"], L4lb = "maybe",
        });

        Assert.Null(options);
        foreach (var option in new[] { "--state-url", "--refresh", "--dns-listen", "--http-listen", "--domain", "--ttl", "--negative-ttl", "--label-spec", "--ip-sources", "--upstream", "--l4lb" })
        {
            Assert.Contains(errors, e => e.StartsWith(option + ":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("2", 2)]
    [InlineData("2s", 2)]
    [InlineData("0", 0)]
    public void Parse_NegativeTtl_AcceptsWholeSeconds(string text, int expected)
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { StateFile = "s", NegativeTtl = text });
        Assert.Empty(errors);
        Assert.Equal(expected, options!.NegativeTtl);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("500ms")]
    public void Parse_NegativeTtl_RejectsWhatIsNoWholeSecondCount(string text)
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { StateFile = "s", NegativeTtl = text });
        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--negative-ttl:", StringComparison.Ordinal) && e.Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Masters_IsTheSourceAndNamesMasterN()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { Masters = "10.0.0.1:5050, Master2.example:5050,[::1]:5050" });
        Assert.Empty(errors);
        Assert.Equal(["10.0.0.1:5050", "master2.example:5050", "[::1]:5050"], options!.Masters);
        Assert.Null(options.StateUrl);
    }

    [Theory]
    [InlineData("10.0.0.1", "each master must be HOST:PORT")]
    [InlineData("10.0.0.1:5050,", "each master must be HOST:PORT")]
    [InlineData("10.0.0.1:0", "each master must be HOST:PORT")]
    [InlineData("bad host:5050", "each master must be HOST:PORT")]
    [InlineData("10.0.0.1:5050,10.0.0.1:5050", "is listed twice")]
    public void Parse_BadMasters_NamesTheOptionAndReason(string masters, string reason)
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { Masters = masters });
        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--masters:", StringComparison.Ordinal) && e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_MastersAndStateUrl_AsksForOneSource()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { Masters = "10.0.0.1:5050", StateUrl = "http://10.0.0.1:5050/master/state" });
        Assert.Null(options);
        Assert.Contains("--state-file/--state-url/--master-url/--masters: give one source, not several", errors);
    }

    [Fact]
    public void Parse_DuplicateIpSource_IsRejected()
    {
        var (_, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { StateFile = "s", IpSources = "host,host" });
        Assert.Contains(errors, e => e.Contains("listed twice", StringComparison.Ordinal));
    }
}
