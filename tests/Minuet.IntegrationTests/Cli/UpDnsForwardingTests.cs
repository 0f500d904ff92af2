using System.Net;
using Minuet.Cli.Cluster;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>up --dns-upstream ADDR[,ADDR]</c> and <c>--no-forward</c> reach the data plane as its <c>--upstream</c> and <c>--no-forward</c>.</summary>
public sealed class UpDnsForwardingTests
{
    [Fact]
    public void Build_Upstreams_EachBecomesADataplaneUpstreamFlag()
    {
        var options = new UpOptions { StateDir = "/s", DnsUpstreams = [IPEndPoint.Parse("10.0.0.2:53"), IPEndPoint.Parse("10.0.0.3:5353")] };

        var dataplane = ClusterPlan.Build(options).Single(m => m.Name == "dataplane");

        Assert.Equal(["--upstream", "10.0.0.2:53", "--upstream", "10.0.0.3:5353"], dataplane.Arguments.SkipWhile(a => a != "--upstream"));
        Assert.Contains("other names forwarded to 10.0.0.2:53, 10.0.0.3:5353", dataplane.Describe, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoForward_PassesNoForward()
    {
        var dataplane = ClusterPlan.Build(new UpOptions { StateDir = "/s", NoForward = true }).Single(m => m.Name == "dataplane");

        Assert.Equal("--no-forward", dataplane.Arguments[^1]);
        Assert.DoesNotContain("--upstream", dataplane.Arguments);
    }

    [Theory]
    [InlineData("--dns-upstream", "10.0.0.2,nonsense", "--dns-upstream: must be IP or IP:PORT, comma-separated (e.g. 10.0.0.2,10.0.0.3:53), got \"nonsense\"")]
    [InlineData("--dns-upstream", "10.0.0.2", "--dns-upstream/--no-forward: upstreams are pointless when forwarding is off; give one or the other")]
    public async Task Up_BadForwardingFlags_RefusedBeforeStartingAnything(string flag, string value, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-upfwd-" + Guid.NewGuid().ToString("N")[..8]);
        var args = new List<string> { "up", "--no-docker", "--state-dir", dir, flag, value };
        if (message.Contains("--no-forward", StringComparison.Ordinal))
        {
            args.Add("--no-forward");
        }

        var result = await CliProcess.RunAsync([.. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minuet up: " + message, result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [NetnsFact]
    public async Task Up_DnsUpstream_OtherNamesReachThatResolver()
    {
        using var up = UpInNetns.Start("mfwd", "--l4lb", "off", "--dns-upstream", "127.0.0.1:5399");

        // The banner's last line: the dns line before it has been read too (waiting for its first line raced the rest).
        await up.WaitForOutputAsync("Try: ", TimeSpan.FromSeconds(120));
        Assert.Contains("other names forwarded to 127.0.0.1:5399", up.Output, StringComparison.Ordinal);

        // A stand-in resolver in the namespace prints the size of the first query it gets.
        var resolver = Task.Run(() => NetnsRunner.TrySh(
            $"ip netns exec {up.Namespace} timeout 30 python3 -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 5399)); print('query', len(s.recvfrom(512)[0]))\""));
        // Asked until the stand-in has one: it may not be bound yet when the first query is forwarded.
        for (int attempt = 0; attempt < 50 && !resolver.IsCompleted; attempt++)
        {
            _ = up.Cli("dns", "outside.example.org", "--server", "127.0.0.1:53");
            await Task.WhenAny(resolver, Task.Delay(500));
        }

        var (_, printed) = await resolver;
        Assert.Contains("query", printed, StringComparison.Ordinal);
    }
}
