using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>
/// A crashed UDP worker must not keep its SO_REUSEPORT socket's share of the flows: every later query, from any
/// source port, is answered.
/// </summary>
public class DnsServerWorkerCrashTests
{
    private const int Queries = 300;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UdpWorker_CrashesOnce_IsRestartedAndEveryLaterQueryIsAnswered(bool batched)
    {
        var registry = new DataPlaneMetrics();
        var logs = new CapturingLoggerFactory();
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { BatchedUdp = batched, Workers = 2 }, metrics: registry, loggerFactory: logs);
        var served = new int[2];
        int fired = 0;
        fx.Server.UdpFaultHook = id =>
        {
            if (id == 0 && Interlocked.Exchange(ref fired, 1) == 0)
            {
                throw new InvalidOperationException("injected fault");
            }

            Interlocked.Increment(ref served[id]);
        };

        await CrashWorkerZeroAsync(fx, () => fx.Server.Metrics.UdpWorkerCrashes >= 1);
        Array.Clear(served);

        await AssertEveryQueryAnsweredAsync(fx);
        Assert.Equal(1, fx.Server.Metrics.UdpWorkerCrashes);
        Assert.Contains("minuet_dns_udp_worker_crashes_total 1\n", registry.Render(), StringComparison.Ordinal);
        // The restarted worker takes its share again (it was restarted, not retired).
        Assert.True(served[0] > 0, $"worker 0 answered nothing after its restart (worker 1: {served[1]})");
        var crash = Assert.Single(logs.Entries, e => e.Id.Id == 3008);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, crash.Level);
        Assert.Contains("worker 0 crashed", crash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UdpWorker_CrashingEveryTime_HasItsSocketClosedAndTheOthersTakeItsFlows()
    {
        var logs = new CapturingLoggerFactory();
        await using var fx = await DnsServerFixture.StartAsync(new DnsServerOptions { Workers = 2 }, loggerFactory: logs);
        fx.Server.UdpFaultHook = id =>
        {
            if (id == 0)
            {
                throw new InvalidOperationException("injected fault");
            }
        };

        await CrashWorkerZeroAsync(fx, () => fx.Server.Metrics.UdpWorkerCrashes >= DnsServer.MaxCrashesInARow);

        await AssertEveryQueryAnsweredAsync(fx);
        Assert.Equal(DnsServer.MaxCrashesInARow, fx.Server.Metrics.UdpWorkerCrashes);
        Assert.Equal(DnsServer.MaxCrashesInARow - 1, logs.Entries.Count(e => e.Id.Id == 3008));
        Assert.Contains("socket is closed", Assert.Single(logs.Entries, e => e.Id.Id == 3009).Message, StringComparison.Ordinal);
    }

    /// <summary>The kernel picks a socket by the flow's hash: ask from fresh source ports until worker 0 has crashed enough.</summary>
    private static async Task CrashWorkerZeroAsync(DnsServerFixture fx, Func<bool> crashed)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!crashed() && DateTime.UtcNow < deadline)
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => DnsTestClient.UdpAsync(fx.Udp, Query(), 300)));
        }

        Assert.True(crashed(), $"worker 0 crashed only {fx.Server.Metrics.UdpWorkerCrashes} times");
    }

    private static async Task AssertEveryQueryAnsweredAsync(DnsServerFixture fx)
    {
        // Each query from its own socket, so from its own source port and flow hash.
        int unanswered = 0;
        for (int start = 0; start < Queries; start += 50)
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => DnsTestClient.UdpAsync(fx.Udp, Query(), 3000)));
            foreach (var reply in replies)
            {
                if (reply is null)
                {
                    unanswered++;
                }
                else
                {
                    Assert.Equal(DnsRcode.NoError, DnsTestMessages.Parse(reply).Rcode);
                }
            }
        }

        Assert.Equal(0, unanswered);
    }

    private static byte[] Query() => DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, id: (ushort)Random.Shared.Next(1, 65535));
}
