using System.Net;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Storage;

namespace Minuet.ControlPlane.Tests.Api;

/// <summary>
/// Issue: a task that died while the master's disk was full still showed RUNNING afterwards. A real agent and a
/// real master over HTTP: the master refuses the update it cannot store (503), the agent keeps it and sends it
/// again until the master stores and acknowledges it, with no restart of either.
/// </summary>
public sealed class AgentStatusRetryTests : IAsyncDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "minuet-retry-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly FaultyMasterStore _store = new();
    private MasterHost? _master;
    private AgentHost? _agent;

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            foreach (var task in _agent.Runtime.ReportTasks())
            {
                if (_agent.Runtime.TaskPid(task.Launch.TaskId) is { } pid)
                {
                    AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
                }
            }

            await _agent.DisposeAsync();
        }

        if (_master is not null)
        {
            await _master.DisposeAsync();
        }

        if (Directory.Exists(_workDir))
        {
            Directory.Delete(_workDir, recursive: true);
        }
    }

    [Fact]
    public async Task TaskEnds_WhileMasterStoreIsFull_MasterRefusesAgentRetriesAndTheEndIsRecordedOnceSpaceReturns()
    {
        _master = MasterHost.CreateWithStore(new IPEndPoint(IPAddress.Loopback, 0), _store,
            new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await _master.StartAsync();
        var master = _master.Master;
        (_agent, var error) = await AgentHost.StartAsync(new AgentHostOptions
        {
            Master = _master.BaseAddress,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertiseIp = "127.0.0.1",
            Resources = new AgentResources(new ResourceSet { Cpus = 1, Mem = 256, Disk = 100 }, new Dictionary<string, ResourceSet>()),
            Runtime = new AgentRuntimeOptions
            {
                WorkDir = _workDir,
                Hostname = "agent-retry",
                Address = "127.0.0.1",
                CgroupRoot = null,
                StatusRetryInitial = TimeSpan.FromMilliseconds(50),
                StatusRetryMax = TimeSpan.FromMilliseconds(200),
            },
        });
        Assert.True(_agent is not null, error);

        var (connection, subscribeError) = master.Subscribe(new SubscribeRequest { Name = "retry-test" });
        Assert.Null(subscribeError);
        var framework = (await connection!.Events.ReadAsync()).Subscribed!.FrameworkId;
        OfferInfo? offer = null;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (offer is null)
            {
                var e = await connection.Events.ReadAsync(deadline.Token);
                offer = e.Offers is { Count: > 0 } offers ? offers[0] : null;
            }
        }

        // The task runs until its "go" file appears, then exits 0.
        var go = Path.Combine(_workDir, "go");
        Assert.Null(master.Accept(framework, new AcceptRequest
        {
            OfferIds = [offer.Id],
            Tasks = [new TaskSpec { TaskId = "t1", Name = "t", Command = new TaskCommand { Value = $"while [ ! -e {go} ]; do sleep 0.05; done" }, Resources = new ResourceSet { Cpus = 0.1, Mem = 32 } }],
        }));
        await WaitAsync(() => StateOf(master, "t1") == TaskState.Running, "TASK_RUNNING");

        _store.Full = true;
        File.WriteAllText(go, string.Empty);
        await WaitAsync(() => _store.FailedWrites >= 3, "the agent to send the update again after 503s");
        Assert.Equal(TaskState.Running, StateOf(master, "t1"));
        Assert.False(master.StoreHealth.Current.IsHealthy);
        Assert.True(master.Metrics.StatusUpdatesRefused.Value >= 3);

        _store.Full = false;
        await WaitAsync(() => StateOf(master, "t1") == TaskState.Finished, "TASK_FINISHED once the store takes writes");
        Assert.Equal("TASK_FINISHED", Assert.Single(_store.Load().Tasks).State);
        Assert.True(master.StoreHealth.Current.IsHealthy);
    }

    private static TaskState? StateOf(MasterCore master, string taskId) =>
        master.Read(m => m.Tasks.TryGetValue(taskId, out var t) ? t.State : (TaskState?)null);

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(25);
        }
    }
}
