using System.CommandLine;
using System.Net;
using Minuet.Cli.Cluster;
using Minuet.Cli.Verbs.Up;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>minuet up</c>'s flags checked in process: every error in one run, and flags mapped onto the options the cluster runs with.</summary>
public sealed class UpFlagsParserTests
{
    private static UpFlagsResult Parse(bool root, params string[] args)
    {
        var flags = new UpFlags();
        var command = new Command("up");
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        return UpFlagsParser.Parse(command.Parse(args), flags, root, _ => "/usr/bin/etcd");
    }

    [Fact]
    public void Parse_SeveralBadFlags_ReportsEachNamingItsFlagAndBuildsNoOptions()
    {
        var result = Parse(false, "--agents", "0", "--auth", "maybe", "--l4lb", "sometimes", "--master-listen", "nowhere", "--state-dir", Path.GetTempPath());

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith("--agents:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--auth:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--l4lb:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("--master-listen:", StringComparison.Ordinal) && e.Contains("\"nowhere\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_UnprivilegedDefaults_MoveDnsAndAdminRouterOffPrivilegedPortsAndSaySo()
    {
        var result = Parse(false, "--state-dir", Path.GetTempPath());

        var options = Assert.IsType<UpOptions>(result.Options);
        Assert.Equal(IPEndPoint.Parse(Minuet.Cli.Verbs.UpVerb.UnprivilegedDns), options.DnsListen);
        Assert.Equal(IPEndPoint.Parse(Minuet.Cli.Verbs.UpVerb.UnprivilegedAdminRouter), options.AdminRouterListen);
        Assert.False(options.L4lb);
        Assert.Contains("not root", result.Notice, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RootWithUpstreamsAndHa_MapsEveryUpstreamTtlAndEtcdPath()
    {
        var result = Parse(true, "--masters", "3", "--leader-ttl", "3s", "--dns-upstream", "198.18.0.2,198.18.0.3:5353", "--dns-upstream", "198.18.0.4", "--state-dir", Path.GetTempPath());

        var options = Assert.IsType<UpOptions>(result.Options);
        Assert.Equal(3, result.Masters);
        Assert.Null(result.Notice);
        Assert.True(options.L4lb);
        Assert.Equal(IPEndPoint.Parse("127.0.0.1:53"), options.DnsListen);
        Assert.Equal(TimeSpan.FromSeconds(3), options.LeaderTtl);
        Assert.Equal("/usr/bin/etcd", options.EtcdPath);
        Assert.Equal(["198.18.0.2:53", "198.18.0.3:5353", "198.18.0.4:53"], options.DnsUpstreams.Select(e => e.ToString()));
    }

    [Fact]
    public void Parse_NoForwardWithUpstreams_IsRefusedNamingBothFlags()
    {
        var result = Parse(true, "--no-forward", "--dns-upstream", "198.18.0.2", "--state-dir", Path.GetTempPath());

        Assert.Null(result.Options);
        Assert.Contains(result.Errors, e => e.StartsWith("--dns-upstream/--no-forward:", StringComparison.Ordinal));
    }
}
