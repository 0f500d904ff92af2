using System.Net;
using System.Net.Sockets;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// The balancer in this process, serving a client namespace it was started in (its netlink sockets are
/// opened on a thread inside the namespace; iptables runs through ip netns exec), against three backends.
/// </summary>
public sealed class L4BalancerNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    [NetnsFact]
    public async Task Connect_ThirtyToVip_AllSucceedAndReachEveryBackend()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);

        var results = new List<string?>();
        for (int i = 0; i < 30; i++)
        {
            var (name, error, _) = await topology.ConnectAsync(Vip);
            Assert.Equal(SocketError.Success, error);
            results.Add(name);
        }

        Assert.Equal(["backend-1", "backend-2", "backend-3"], results.Distinct().Order());
        Assert.True(balancer.Metrics.Natted >= 30);
    }

    [NetnsFact]
    public async Task Connect_BackendKilledAndStateUpdated_NewConnectionsAvoidIt()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);
        Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);

        topology.Servers[1].Dispose();
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);

        for (int i = 0; i < 30; i++)
        {
            var (name, error, _) = await topology.ConnectAsync(Vip);
            Assert.Equal(SocketError.Success, error);
            Assert.NotEqual("backend-2", name);
        }
    }

    [NetnsFact]
    public async Task Connect_VipWithNoUsableBackend_RefusedAtOnce()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80", healthy: false)), CancellationToken.None);

        var fastest = TimeSpan.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            var (_, error, elapsed) = await topology.ConnectAsync(Vip);
            Assert.Equal(SocketError.ConnectionRefused, error);
            fastest = elapsed < fastest ? elapsed : fastest;
        }

        Assert.True(fastest < TimeSpan.FromMilliseconds(100), $"refused after {fastest.TotalMilliseconds} ms");
        Assert.True(balancer.Metrics.NoBackend >= 3);
    }

    [NetnsFact]
    public async Task Connect_VipWhoseLastTaskWentAway_RefusedNotHung()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
        Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);

        await balancer.ApplyAsync(State(), CancellationToken.None);
        var (_, error, elapsed) = await topology.ConnectAsync(Vip);

        Assert.Equal(SocketError.ConnectionRefused, error);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"refused after {elapsed.TotalMilliseconds} ms");
    }

    [NetnsFact]
    public async Task Connect_ThousandVips_AllProgrammedAndReachable()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        var tasks = Enumerable.Range(0, 1000)
            .Select(i => Task($"t{i}", i % 3, $"198.19.{1 + (i / 250)}.{1 + (i % 250)}:80"))
            .ToArray();
        await balancer.ApplyAsync(State(tasks), CancellationToken.None);

        Assert.Equal(1000, topology.InClient("ipset list minuet-vips").Split('\n').Count(l => l.Contains(",tcp:80", StringComparison.Ordinal)));
        var failures = new List<string>();
        for (int i = 0; i < 1000; i++)
        {
            var vip = IPEndPoint.Parse($"198.19.{1 + (i / 250)}.{1 + (i % 250)}:80");
            var (name, error, _) = await topology.ConnectAsync(vip);
            if (error != SocketError.Success || name != $"backend-{(i % 3) + 1}")
            {
                failures.Add($"{vip}: {error} {name}");
            }
        }

        Assert.Empty(failures);
    }

    [NetnsFact]
    public async Task Dispose_CleanExit_RulesAndSetRemoved()
    {
        using var topology = L4lbTopology.Create();
        var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
        Assert.Contains("MINUET-L4LB", topology.InClient("iptables-save"), StringComparison.Ordinal);

        await balancer.DisposeAsync();

        Assert.DoesNotContain("MINUET-L4LB", topology.InClient("iptables-save"), StringComparison.Ordinal);
        Assert.DoesNotContain("minuet-vips", topology.InClient("ipset list -n"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Connect_BackendOnTheClientsOwnHost_Reachable()
    {
        using var topology = L4lbTopology.Create();
        using var local = BackendServer.Start(topology.Client, "local", IPAddress.Parse("198.18.250.1"), 9090);
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        var state = State(Task("t1", 0, "198.19.0.30:80", port: 9090)) with
        {
            Agents = [new Minuet.DataPlane.Model.AgentInfo { Id = "a1", Hostname = "client", Pid = "slave(1)@198.18.250.1:5051" }],
        };
        await balancer.ApplyAsync(state, CancellationToken.None);

        var (name, error, _) = await topology.ConnectAsync(IPEndPoint.Parse("198.19.0.30:80"));

        Assert.Equal(SocketError.Success, error);
        Assert.Equal("local", name);
    }

    [NetnsFact]
    public async Task Start_QueueWorker_RunsRealTimeSoAWokenWorkerIsNotQueuedBehindBusyThreads()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
        Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);

        // /proc/self/task/TID/stat field 41 is the policy (1 = SCHED_FIFO); comm holds the first 15 chars of the name.
        var workers = Directory.GetDirectories("/proc/self/task")
            .Where(t => File.Exists(Path.Combine(t, "comm")) && File.ReadAllText(Path.Combine(t, "comm")).StartsWith("minuet nfqueue", StringComparison.Ordinal))
            .Select(t => File.ReadAllText(Path.Combine(t, "stat")))
            .Select(stat => stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[38])
            .ToList();

        Assert.NotEmpty(workers);
        Assert.All(workers, policy => Assert.Equal("1", policy));
    }
}
