using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Store writes leave the master lock: a slow write holds up its caller, not the master.</summary>
public class MasterCoreStoreQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StatusUpdate_WhileItsWriteIsInTheStore_TheMasterLockIsFreeAndNothingIsAppliedYet()
    {
        using var store = new GatedMasterStore();
        var m = new TestMaster(store);
        var (agent, framework, _) = m.RunningTask();

        store.HoldTaskWrites = true;
        var update = Task.Run(() => m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Finished)));
        Assert.True(store.Entered.Wait(Patience), "the status update never reached the store");

        // The write is stuck in the store: other calls still get the lock, and nothing is applied or acknowledged.
        var heartbeat = await Task.Run(() => m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent })).WaitAsync(Patience);
        Assert.Null(heartbeat.Error);
        Assert.Equal(TaskState.Running, m.Core.View.Tasks["web.1"].State);
        Assert.False(update.IsCompleted);

        store.Release();
        var (ack, error) = await update.WaitAsync(Patience);
        Assert.Null(error);
        Assert.NotNull(ack);
        Assert.Equal(TaskState.Finished, m.Core.View.Tasks["web.1"].State);
        Assert.Equal("TASK_FINISHED", Assert.Single(store.Load().Tasks).State);
    }

    [Fact]
    public async Task StatusUpdate_TaskChangedByTheMasterWhileItsWriteIsInTheStore_RefusedAndTheStoreEndsWithTheNewerState()
    {
        using var store = new GatedMasterStore();
        var m = new TestMaster(store);
        var (agent, framework, _) = m.RunningTask();

        store.HoldTaskWrites = true;
        var update = Task.Run(() => m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Running, healthy: true)));
        Assert.True(store.Entered.Wait(Patience), "the status update never reached the store");

        // Meanwhile the agent is declared lost: its task becomes unreachable, and that write queues behind the update's.
        m.Time.Advance(TimeSpan.FromMinutes(5));
        var tick = Task.Run(() => m.Core.Tick(m.Time.Now));
        Assert.True(SpinWait.SpinUntil(() => m.Core.View.Tasks["web.1"].State == TaskState.Unreachable, Patience), "the task never became unreachable");

        store.HoldTaskWrites = false;
        store.Release();
        var (ack, error) = await update.WaitAsync(Patience);
        await tick.WaitAsync(Patience);

        // Applying the older update now would put memory behind the store: it is refused and the agent resends it.
        Assert.Null(ack);
        Assert.Equal(503, error!.Status);
        Assert.Equal(TaskState.Unreachable, m.Core.Tasks["web.1"].State);
        Assert.Equal("TASK_UNREACHABLE", Assert.Single(store.Load().Tasks).State);
    }

    /// <summary>An in-memory store whose task writes wait for <see cref="Release"/> while <see cref="HoldTaskWrites"/> is set.</summary>
    private sealed class GatedMasterStore : IMasterStore
    {
        private readonly InMemoryMasterStore _inner = new();
        private readonly ManualResetEventSlim _release = new();

        public volatile bool HoldTaskWrites;

        public ManualResetEventSlim Entered { get; } = new();

        public void Release() => _release.Set();

        public MasterStoreSnapshot Load() => _inner.Load();

        public void PutMeta(string key, string value) => _inner.PutMeta(key, value);

        public void PutAgent(StoredAgent agent) => _inner.PutAgent(agent);

        public void RemoveAgent(string agentId) => _inner.RemoveAgent(agentId);

        public void PutFramework(StoredFramework framework) => _inner.PutFramework(framework);

        public void RemoveFramework(string frameworkId) => _inner.RemoveFramework(frameworkId);

        public void PutTask(StoredTask task)
        {
            Hold();
            _inner.PutTask(task);
        }

        public void PutTasks(IReadOnlyList<StoredTask> tasks) => _inner.PutTasks(tasks);

        public void RemoveTask(string taskId) => _inner.RemoveTask(taskId);

        public void PutReservation(string agentId, string role, ResourceSet? resources) => _inner.PutReservation(agentId, role, resources);

        public void Dispose()
        {
            _release.Set();
            _inner.Dispose();
            _release.Dispose();
            Entered.Dispose();
        }

        private void Hold()
        {
            if (HoldTaskWrites)
            {
                Entered.Set();
                _release.Wait();
            }
        }
    }
}
