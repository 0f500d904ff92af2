using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>A store that cannot write never leaves memory and store apart; changes are refused (503) until it can.</summary>
public class SchedulerStoreFaultTests
{
    private const string AppA = """{"id":"/a","cmd":"sleep 100","cpus":0.1,"mem":16}""";
    private const string AppB = """{"id":"/b","cmd":"sleep 100","cpus":0.1,"mem":16}""";

    [Fact]
    public void Change_StoreCannotWrite_RefusedWith503AndNeitherMemoryNorStoreChanged()
    {
        var store = new FaultyStore();
        var h = new SchedulerHarness(store);
        h.Master.RegisterAgent();
        h.Subscribe();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App(AppA)).IsSuccess);
        h.Offer();
        var task = Assert.Single(h.LiveTasks("/a"));
        int deploymentsBefore = h.Core.Read(v => v.Deployments.Count);

        store.Failing = true;
        var created = h.Core.CreateApp(SchedulerHarness.App(AppB));
        var deleted = h.Core.DeleteApp("/a");

        Assert.Equal(503, created.Status);
        Assert.Contains("No space left on device", created.Message, StringComparison.Ordinal);
        Assert.Equal(503, deleted.Status);
        Assert.False(h.Core.Read(v => v.Apps.ContainsKey("/b")));
        Assert.False(h.Core.Read(v => v.Apps["/a"].Deleted));
        Assert.Equal(deploymentsBefore, h.Core.Read(v => v.Deployments.Count));
        Assert.DoesNotContain(store.Inner.Load().Apps, a => a.Id == "/b");
        Assert.DoesNotContain(store.Inner.Load().Apps, a => a.Deleted);
        Assert.NotNull(h.Core.StoreFault);

        // The refused delete sent no kill.
        h.Pump();
        Assert.DoesNotContain(task, h.Killed());

        // Status updates keep flowing while the store lags; they reach it once it writes again.
        h.Report(task, TaskState.Running);
        Assert.Equal(TaskState.Staging, store.Inner.Load().Tasks.Single(t => t.Id == task).State);

        store.Failing = false;
        h.Core.Tick();
        Assert.Null(h.Core.StoreFault);
        Assert.Equal(TaskState.Running, store.Inner.Load().Tasks.Single(t => t.Id == task).State);
        Assert.True(h.Core.CreateApp(SchedulerHarness.App(AppB)).IsSuccess);
        Assert.Contains(store.Inner.Load().Apps, a => a.Id == "/b");
    }

    [Fact]
    public void Change_FailingMidway_IsUndoneInTheStoreToo()
    {
        // Only the third write of the change fails: the first two must not stay behind.
        var store = new FaultyStore();
        var h = new SchedulerHarness(store);
        h.Subscribe();
        store.FailAfter = 2;
        var result = h.Core.CreateApp(SchedulerHarness.App(AppA));

        Assert.Equal(503, result.Status);
        Assert.Empty(store.Inner.Load().Apps);
        Assert.Empty(store.Inner.Load().AppVersions);
        Assert.Empty(store.Inner.Load().Deployments);
        Assert.False(h.Core.Read(v => v.Apps.ContainsKey("/a")));
    }

    /// <summary>An in-memory store whose writes fail as a full disk's do, on demand.</summary>
    private sealed class FaultyStore : ISchedulerStore
    {
        public InMemorySchedulerStore Inner { get; } = new();

        public bool Failing { get; set; }

        /// <summary>Writes that still succeed before every later one fails (-1: no limit).</summary>
        public int FailAfter { get; set; } = -1;

        public SchedulerStoreSnapshot Load() => Inner.Load();

        public void Begin() => Inner.Begin();

        public void Commit()
        {
            Check();
            Inner.Commit();
        }

        public void Rollback() => Inner.Rollback();

        public void PutMeta(string key, string value) => Write(() => Inner.PutMeta(key, value));

        public void PutApp(StoredApp app) => Write(() => Inner.PutApp(app));

        public void RemoveApp(string id) => Write(() => Inner.RemoveApp(id));

        public void PutAppVersion(StoredAppVersion version) => Write(() => Inner.PutAppVersion(version));

        public void RemoveAppVersion(string appId, DateTimeOffset version) => Write(() => Inner.RemoveAppVersion(appId, version));

        public void RemoveAppVersions(string appId) => Write(() => Inner.RemoveAppVersions(appId));

        public void PutTask(StoredTask task) => Write(() => Inner.PutTask(task));

        public void RemoveTask(string id) => Write(() => Inner.RemoveTask(id));

        public void PutDeployment(DeploymentPlan plan) => Write(() => Inner.PutDeployment(plan));

        public void RemoveDeployment(string id) => Write(() => Inner.RemoveDeployment(id));

        public void PutGroup(StoredGroup group) => Write(() => Inner.PutGroup(group));

        public void RemoveGroup(string id) => Write(() => Inner.RemoveGroup(id));

        public void Dispose() => Inner.Dispose();

        private void Write(Action write)
        {
            Check();
            write();
        }

        private void Check()
        {
            if (FailAfter == 0)
            {
                Failing = true;
            }
            else if (FailAfter > 0)
            {
                FailAfter--;
            }

            if (Failing)
            {
                throw new IOException("No space left on device");
            }
        }
    }
}
