using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Api;
using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>Passive health from real conntrack events: a backend that stops answering gets benched.</summary>
public sealed class PassiveHealthNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    [NetnsFact]
    public async Task Connect_BackendBlackholed_BenchedThenAvoided()
    {
        using var topology = L4lbTopology.Create();
        var options = new L4lbOptions
        {
            Health = new HealthOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200), FailureThreshold = 2, BenchPeriod = TimeSpan.FromSeconds(60) },
        };
        await using var balancer = await NetnsBalancer.StartAsync(topology, options);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);

        // Healthy first: successes and latency samples come from conntrack's SEEN_REPLY updates.
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);
        }

        NetnsRunner.Sh($"ip netns exec {topology.Backends[1]} iptables -A INPUT -p tcp --dport {L4lbTopology.BackendPort} -j DROP");
        var blackholed = IpPort.TryParse($"198.18.2.2:{L4lbTopology.BackendPort}", out var b) ? b : default;
        Assert.True(balancer.Balancer.Registry.TryGet(blackholed, out var state));
        for (int attempt = 0; attempt < 60 && !state.IsBenched(TimeProvider.System.GetTimestamp()); attempt++)
        {
            await topology.ConnectAsync(Vip, TimeSpan.FromMilliseconds(400));
            await System.Threading.Tasks.Task.Delay(50);
        }

        Assert.True(state.IsBenched(TimeProvider.System.GetTimestamp()), $"not benched: failures {state.Failures}, pending {state.Pending}");
        for (int i = 0; i < 30; i++)
        {
            var (name, error, _) = await topology.ConnectAsync(Vip);
            Assert.Equal(SocketError.Success, error);
            Assert.NotEqual("backend-2", name);
        }

        using var vips = JsonDocument.Parse(VipsJson.Vips(balancer.Status));
        var backends = vips.RootElement.GetProperty("vips").GetProperty("198.19.0.10:80");
        var sick = backends.GetProperty($"198.18.2.2:{L4lbTopology.BackendPort}");
        Assert.False(sick.GetProperty("is_healthy").GetBoolean());
        Assert.True(sick.GetProperty("total_failures").GetInt64() >= 2);
        var healthy = backends.GetProperty($"198.18.1.2:{L4lbTopology.BackendPort}");
        Assert.True(healthy.GetProperty("total_successes").GetInt64() > 0);
        Assert.True(healthy.GetProperty("latency_last_60s").GetProperty("n").GetInt32() > 0);
    }

    /// <summary>
    /// A backend whose process died while its namespace lives answers SYNs with a reset. That is a failure (it
    /// used to count as a success, so the dead backend kept about a third of new connections): after the
    /// breaker trips, 20 of 20 new connections succeed, and /vips shows the refusals and the bench.
    /// </summary>
    [NetnsFact]
    public async Task Connect_BackendProcessKilledNamespaceLives_RefusalsBenchItThenTwentyOfTwentySucceed()
    {
        using var topology = L4lbTopology.Create();
        var options = new L4lbOptions
        {
            Policy = "round-robin",
            Health = new HealthOptions { FailureThreshold = 3, BenchPeriod = TimeSpan.FromSeconds(60) },
        };
        await using var balancer = await NetnsBalancer.StartAsync(topology, options);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);
        }

        topology.Servers[1].Dispose();
        var dead = IpPort.TryParse($"198.18.2.2:{L4lbTopology.BackendPort}", out var d) ? d : default;
        Assert.True(balancer.Balancer.Registry.TryGet(dead, out var state));
        int refused = 0;
        for (int attempt = 0; attempt < 60 && state.IsHealthy(TimeProvider.System.GetTimestamp()); attempt++)
        {
            if ((await topology.ConnectAsync(Vip)).Error == SocketError.ConnectionRefused)
            {
                refused++;
            }

            // The refusal arrives as a conntrack event on another thread; give it a moment before the next SYN.
            for (int wait = 0; wait < 20 && state.Failures < refused; wait++)
            {
                await System.Threading.Tasks.Task.Delay(10);
            }
        }

        Assert.False(state.IsHealthy(TimeProvider.System.GetTimestamp()), $"not benched: failures {state.Failures}, successes {state.Successes}, refused {refused}");
        Assert.Equal(2, state.Successes); // round-robin: two of the six connections before the kill; no refusal counted as one
        for (int i = 0; i < 20; i++)
        {
            var (name, error, _) = await topology.ConnectAsync(Vip);
            Assert.Equal(SocketError.Success, error);
            Assert.NotEqual("backend-2", name);
        }

        using var vips = JsonDocument.Parse(VipsJson.Vips(balancer.Status));
        var sick = vips.RootElement.GetProperty("vips").GetProperty("198.19.0.10:80").GetProperty($"198.18.2.2:{L4lbTopology.BackendPort}");
        Assert.False(sick.GetProperty("is_healthy").GetBoolean());
        Assert.True(sick.GetProperty("total_failures").GetInt64() >= 3);
    }
}
