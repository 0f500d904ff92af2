using System.Net;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;
using Minuet.ControlPlane.Tests.Storage;

namespace Minuet.ControlPlane.Tests.Api;

/// <summary>
/// Issue: a task that died while the master's disk was full still showed RUNNING afterwards. A real agent and a
/// real master over HTTP: the master refuses the update it cannot store (503), the agent keeps it and sends it
/// again until the master stores and acknowledges it, with no restart of either.
/// </summary>
public sealed class AgentStatusRetryTests : IAsyncLifetime, IDisposable
{
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "minuet-retry-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly FaultyMasterStore _store = new();
    private MasterHost? _master;
    private AgentHost? _agent;

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose() => _store.Dispose();

    // IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls the latter on a test class, and the agent's task
    // processes and work directory were left behind after every run.
    public async Task DisposeAsync()
    {
        await RealAgentKit.StopAsync(_agent, _workDir);
        if (_master is not null)
        {
            await _master.DisposeAsync();
        }
    }

    [Fact]
    public async Task TaskEnds_WhileMasterStoreIsFull_MasterRefusesAgentRetriesAndTheEndIsRecordedOnceSpaceReturns()
    {
        _master = MasterHost.CreateWithStore(new IPEndPoint(IPAddress.Loopback, 0), _store,
            new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await _master.StartAsync();
        var master = _master.Master;
        (_agent, var error) = await AgentHost.StartAsync(RealAgentKit.Options(_master.BaseAddress, _workDir, "agent-retry"));
        Assert.True(_agent is not null, error);

        // The task runs until its "go" file appears, then exits 0.
        var go = Path.Combine(_workDir, "go");
        await RealAgentKit.LaunchAsync(master, "retry-test",
            [new TaskSpec { TaskId = "t1", Name = "t", Command = new TaskCommand { Value = $"while [ ! -e {go} ]; do sleep 0.05; done" }, Resources = new ResourceSet { Cpus = 0.1, Mem = 32 } }]);
        await RealAgentKit.WaitAsync(() => RealAgentKit.StateOf(master, "t1") == TaskState.Running, "TASK_RUNNING");

        _store.Full = true;
        File.WriteAllText(go, string.Empty);
        await RealAgentKit.WaitAsync(() => _store.FailedWrites >= 3, "the agent to send the update again after 503s");
        Assert.Equal(TaskState.Running, RealAgentKit.StateOf(master, "t1"));
        Assert.False(master.StoreHealth.Current.IsHealthy);
        Assert.True(master.Metrics.StatusUpdatesRefused.Value >= 3);

        _store.Full = false;
        await RealAgentKit.WaitAsync(() => RealAgentKit.StateOf(master, "t1") == TaskState.Finished, "TASK_FINISHED once the store takes writes");
        Assert.Equal("TASK_FINISHED", Assert.Single(_store.Load().Tasks).State);
        Assert.True(master.StoreHealth.Current.IsHealthy);
    }
}
