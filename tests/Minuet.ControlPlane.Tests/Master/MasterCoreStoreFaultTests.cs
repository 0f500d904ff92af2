using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Storage;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Issue: with the state dir full, the master answered empty 500s, kept a phantom STAGING task and never recovered.</summary>
public class MasterCoreStoreFaultTests
{
    [Fact]
    public void Accept_StoreFull_Refused503NamingTheConditionWithNoPhantomTaskAndOfferReturned()
    {
        var store = new FaultyMasterStore();
        var m = new TestMaster(store);
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));

        store.Full = true;
        var error = m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1")] });

        Assert.Equal(503, error!.Status);
        Assert.Equal(ProtocolErrorCodes.StoreUnavailable, error.Code);
        Assert.StartsWith("state store write failed: disk full", error.Message, StringComparison.Ordinal);
        Assert.Empty(m.Core.Tasks);
        Assert.Empty(m.Core.Frameworks[framework].Tasks);
        Assert.Empty(m.Dispatcher.Launches);
        Assert.Empty(store.Load().Tasks);
        Assert.False(m.Core.StoreHealth.Current.IsHealthy);
        Assert.Contains("disk full", m.Core.StoreHealth.Current.Error, StringComparison.Ordinal);
        Assert.Equal(1, m.Core.Metrics.StoreWriteFailures.Value);

        // Space comes back: the offer was returned, the next accept launches, health clears without a restart.
        store.Full = false;
        var again = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [again.Id], Tasks = [TestMaster.Task("t1")] }));
        Assert.Equal(TaskState.Staging, m.Core.Tasks["t1"].State);
        Assert.Single(store.Load().Tasks);
        Assert.True(m.Core.StoreHealth.Current.IsHealthy);
    }

    [Fact]
    public void StatusUpdate_StoreFull_Refused503AndNothingChangesUntilTheRetryIsStored()
    {
        var store = new FaultyMasterStore();
        var m = new TestMaster(store);
        var agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1")] }));
        TestMaster.Drain(connection);

        store.Full = true;
        var running = m.Status("t1", framework, agent, TaskState.Running);
        var (ack, error) = m.Core.StatusUpdate(agent, running);

        Assert.Null(ack);
        Assert.Equal(503, error!.Status);
        Assert.Equal(TaskState.Staging, m.Core.Tasks["t1"].State);
        Assert.Empty(m.Core.Tasks["t1"].Statuses);
        Assert.DoesNotContain(TestMaster.Drain(connection), e => e.Type == "UPDATE");
        Assert.Equal(1, m.Core.Metrics.StatusUpdatesRefused.Value);

        // The agent sends the same update again (same uuid) once the disk has room: applied once, acknowledged.
        store.Full = false;
        (ack, error) = m.Core.StatusUpdate(agent, running);
        Assert.Null(error);
        Assert.Equal(running.Uuid, ack!.Uuid);
        Assert.Equal(TaskState.Running, m.Core.Tasks["t1"].State);
        Assert.Equal("TASK_RUNNING", Assert.Single(store.Load().Tasks).State);
        Assert.Single(TestMaster.Drain(connection), e => e.Type == "UPDATE");
        Assert.True(m.Core.StoreHealth.Current.IsHealthy);
    }

    [Fact]
    public void RegisterAndSubscribe_StoreFull_Refused503WithoutHalfRegisteredState()
    {
        var store = new FaultyMasterStore();
        var m = new TestMaster(store);
        store.Full = true;

        var (response, error) = m.Core.RegisterAgent(TestMaster.AgentRequest());
        Assert.Null(response);
        Assert.Equal(503, error!.Status);
        Assert.Empty(m.Core.Agents);

        var (connection, subscribeError) = m.Core.Subscribe(new SubscribeRequest { Name = "marathon" });
        Assert.Null(connection);
        Assert.Equal(503, subscribeError!.Status);
        Assert.Empty(m.Core.Frameworks);

        store.Full = false;
        var agent = m.RegisterAgent();
        var (framework, _) = m.Subscribe();
        Assert.EndsWith("-S0", agent, StringComparison.Ordinal);
        Assert.EndsWith("-0000", framework, StringComparison.Ordinal);
        Assert.Single(store.Load().Agents);
    }

    [Fact]
    public void MasterDecidedChange_StoreFull_KeptAndWrittenFromMemoryOnceTheStoreTakesWritesAgain()
    {
        var store = new FaultyMasterStore();
        var m = new TestMaster(store);
        m.RunningTask("web.1");

        // The agent goes silent while the disk is full: the master must still mark its task unreachable.
        store.Full = true;
        m.Time.Advance(TimeSpan.FromSeconds(76));
        m.Core.Tick(m.Time.Now);
        Assert.Equal(TaskState.Unreachable, m.Core.Tasks["web.1"].State);
        Assert.Equal("TASK_RUNNING", Assert.Single(store.Load().Tasks).State);
        var health = m.Core.StoreHealth.Current;
        Assert.False(health.IsHealthy);
        Assert.True(health.PendingWrites >= 1);

        // Still full: the tick's retry fails and the condition stays.
        m.Core.Tick(m.Time.Now);
        Assert.False(m.Core.StoreHealth.Current.IsHealthy);

        store.Full = false;
        m.Core.Tick(m.Time.Now);
        Assert.Equal("TASK_UNREACHABLE", Assert.Single(store.Load().Tasks).State);
        Assert.True(m.Core.StoreHealth.Current.IsHealthy);
        Assert.Equal(0, m.Core.StoreHealth.Current.PendingWrites);
    }
}
