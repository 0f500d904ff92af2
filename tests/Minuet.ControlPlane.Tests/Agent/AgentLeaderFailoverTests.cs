using System.Net;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// A real agent given two masters (<c>--master http://a,http://b</c>). Each master is a <see cref="FakeHaMaster"/>
/// front playing ha-core's leader contract in front of a real <see cref="MasterHost"/>: master A leads, dies (its
/// front answers 503 no_leader while the election runs), then B, recovered from the same store, leads and A's front
/// redirects to it. The agent must re-register with B under the same id with its running task, and the status update
/// it could not deliver meanwhile must reach B.
/// </summary>
public sealed class AgentLeaderFailoverTests : IAsyncLifetime, IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "minuet-failover-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly InMemoryMasterStore _store = new();
    private readonly List<MasterHost> _masters = [];
    private AgentHost? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose() => _store.Dispose();

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class, and the agent's task
    // processes and work directory were left behind after every run.
    public async Task DisposeAsync()
    {
        await RealAgentKit.StopAsync(_agent, _workDir);
        foreach (var master in _masters)
        {
            await master.DisposeAsync();
        }
    }

    [Fact]
    public async Task LeaderDiesAndAnotherIsElected_AgentReregistersWithTheNewLeaderKeepingItsIdAndTasks_PendingUpdateResent()
    {
        await using var frontA = await FakeHaMaster.StartAsync();
        await using var frontB = await FakeHaMaster.StartAsync();
        var masterA = await StartMasterAsync();
        frontA.ProxyTo = masterA.BaseAddress;
        frontB.RedirectTo = frontA.Authority; // B stands by

        // The standby first: the agent must follow its 307.
        (_agent, var error) = await AgentHost.StartAsync(RealAgentKit.Options(frontB.BaseUrl, _workDir, "agent-failover", [frontB.BaseUrl, frontA.BaseUrl]));
        Assert.True(_agent is not null, error);
        await _agent.Connection.WhenRegisteredAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        Assert.Equal(frontA.BaseUrl, _agent.Connection.Leader);
        string agentId = _agent.Runtime.AgentId!;

        // Two tasks on A: "keep" runs on, "ends" exits once its go file appears.
        var go = Path.Combine(_workDir, "go");
        await RealAgentKit.LaunchAsync(masterA.Master, "failover-test", [
            new TaskSpec { TaskId = "keep", Name = "keep", Command = new TaskCommand { Value = "sleep 600" }, Resources = new ResourceSet { Cpus = 0.1, Mem = 16 } },
            new TaskSpec { TaskId = "ends", Name = "ends", Command = new TaskCommand { Value = $"while [ ! -e {go} ]; do sleep 0.05; done" }, Resources = new ResourceSet { Cpus = 0.1, Mem = 16 } },
        ]);
        await RealAgentKit.WaitAsync(() => RealAgentKit.StateOf(masterA.Master, "keep") == TaskState.Running && RealAgentKit.StateOf(masterA.Master, "ends") == TaskState.Running, "both tasks RUNNING on A");
        int keepPid = _agent.Runtime.TaskPid("keep")!.Value;

        // A dies; no leader while the election runs. "ends" finishes meanwhile: its update cannot be delivered.
        frontA.NoLeader = frontB.NoLeader = true;
        _masters.Remove(masterA);
        await masterA.DisposeAsync();
        int before = frontA.Requests + frontB.Requests;
        File.WriteAllText(go, string.Empty);
        await RealAgentKit.WaitAsync(() => frontA.Requests + frontB.Requests > before, "the agent to try the masters while none leads");

        // B is elected (recovering from the store A wrote) and A's address now redirects to it.
        var masterB = await StartMasterAsync();
        frontB.ProxyTo = masterB.BaseAddress;
        frontB.NoLeader = false;
        frontB.RedirectTo = null;
        frontA.RedirectTo = frontB.Authority;
        frontA.NoLeader = false;

        await RealAgentKit.WaitAsync(() => RealAgentKit.StateOf(masterB.Master, "ends") == TaskState.Finished, "the pending TASK_FINISHED to reach B");
        await RealAgentKit.WaitAsync(() => frontB.Calls.Contains("POST " + ProtocolRoutes.Register), "a re-registration at B");
        Assert.Equal(frontB.BaseUrl, _agent.Connection.Leader);
        Assert.Equal(agentId, _agent.Runtime.AgentId);
        Assert.Equal(TaskState.Running, RealAgentKit.StateOf(masterB.Master, "keep"));
        Assert.Equal(agentId, masterB.Master.Read(m => m.Tasks["keep"].AgentId));
        Assert.Equal(keepPid, _agent.Runtime.TaskPid("keep")); // the same process: nothing restarted or duplicated
        Assert.Equal(2, masterB.Master.Read(m => m.Tasks.Count));
    }

    private async Task<MasterHost> StartMasterAsync()
    {
        var master = MasterHost.CreateWithStore(new IPEndPoint(IPAddress.Loopback, 0), _store,
            new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await master.StartAsync();
        _masters.Add(master);
        return master;
    }
}
