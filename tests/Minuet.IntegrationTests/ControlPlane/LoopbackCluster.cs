using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>
/// A master and two agents in this process, talking the real HTTP protocol on 127.0.0.1, with short heartbeat
/// windows (3 × 1 s, generous enough for a loaded 2-core CI box) so loss is seen in a few seconds. Agents and
/// the master can be stopped and started again on the same state and work directories. Disposal kills every
/// task process group by pid and removes the directories.
/// </summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "minuet-cluster-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly HashSet<int> _pids = [];
    private readonly AgentHost?[] _agents = new AgentHost?[2];

    private LoopbackCluster(int masterPort) => MasterPort = masterPort;

    public int MasterPort { get; }

    public MasterHost Master { get; private set; } = null!;

    public Uri MasterUri => new($"http://127.0.0.1:{MasterPort}/");

    public static MasterOptions Options(int port) => new()
    {
        AdvertiseIp = "127.0.0.1",
        Port = port,
        Hostname = "master-test",
        AgentPingTimeout = TimeSpan.FromSeconds(1),
        MaxAgentPingTimeouts = 3,
        AllocationInterval = TimeSpan.FromMilliseconds(100),
        StatusUpdateRetry = TimeSpan.FromSeconds(1),
        AgentReregisterTimeout = TimeSpan.FromSeconds(30),
    };

    public static async Task<LoopbackCluster> StartAsync(TaskNetworkOptions? agent0Network = null)
    {
        var cluster = new LoopbackCluster(FreePort());
        await cluster.StartMasterAsync();
        await cluster.StartAgentAsync(0, agent0Network);
        await cluster.StartAgentAsync(1);
        await LoopbackCluster.WaitAsync(() => cluster.Agent(0).Connection.IsRegistered && cluster.Agent(1).Connection.IsRegistered, "agents registered");
        return cluster;
    }

    public AgentHost Agent(int index) => _agents[index] ?? throw new InvalidOperationException($"agent {index} is stopped");

    public async Task StartMasterAsync()
    {
        Master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, MasterPort), Path.Combine(_root, "master"), Options(MasterPort));
        await Master.StartAsync();
    }

    public async Task StopMasterAsync() => await Master.DisposeAsync();

    public async Task StartAgentAsync(int index, TaskNetworkOptions? network = null)
    {
        var (host, error) = await AgentHost.StartAsync(new AgentHostOptions
        {
            Master = MasterUri,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertiseIp = "127.0.0.1",
            Resources = new AgentResources(new ResourceSet { Cpus = 2, Mem = 1024, Disk = 1000, Ports = [new(31000 + (index * 1000), 31099 + (index * 1000))] },
                new Dictionary<string, ResourceSet>()),
            Attributes = new Dictionary<string, string> { ["rack"] = "r" + index },
            Runtime = new AgentRuntimeOptions
            {
                WorkDir = Path.Combine(_root, "agent" + index),
                Hostname = "agent" + index,
                Address = "127.0.0.1",
                CgroupRoot = null,
                DefaultKillGrace = TimeSpan.FromSeconds(2),
                AdoptedPollInterval = TimeSpan.FromMilliseconds(50),
                StatusRetryInitial = TimeSpan.FromMilliseconds(50),
                StatusRetryMax = TimeSpan.FromMilliseconds(500),
                TaskNetwork = network,
            },
        });
        Assert.True(host is not null, error);
        _agents[index] = host;
    }

    /// <summary>Stops an agent the way a crash or restart does: tasks keep running.</summary>
    public async Task StopAgentAsync(int index)
    {
        var host = Agent(index);
        RememberPids(host);
        _agents[index] = null;
        await host.DisposeAsync();
    }

    public void RememberPids(AgentHost host)
    {
        foreach (var task in host.Runtime.ReportTasks())
        {
            if (host.Runtime.TaskPid(task.Launch.TaskId) is { } pid)
            {
                lock (_pids)
                {
                    _pids.Add(pid);
                }
            }
        }
    }

    /// <summary>GET /master/state as JSON.</summary>
    public async Task<JsonDocument> StateAsync()
    {
        using var http = new HttpClient();
        return JsonDocument.Parse(await http.GetStringAsync(new Uri(MasterUri, "master/state")));
    }

    /// <summary>A task from /master/state (frameworks[].tasks[]), or null.</summary>
    public async Task<JsonElement?> StateTaskAsync(string taskId)
    {
        using var state = await StateAsync();
        foreach (var framework in state.RootElement.GetProperty("frameworks").EnumerateArray())
        {
            foreach (var list in new[] { "tasks", "unreachable_tasks", "completed_tasks" })
            {
                if (!framework.TryGetProperty(list, out var tasks))
                {
                    continue;
                }

                foreach (var task in tasks.EnumerateArray())
                {
                    if (task.GetProperty("id").GetString() == taskId)
                    {
                        return task.Clone();
                    }
                }
            }
        }

        return null;
    }

    public static async Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(25);
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _agents)
        {
            if (host is not null)
            {
                RememberPids(host);
                await host.DisposeAsync();
            }
        }

        await Master.DisposeAsync();
        lock (_pids)
        {
            foreach (int pid in _pids)
            {
                AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
