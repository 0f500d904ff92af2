using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Issue: the master's framework event channel was unbounded; a framework that stops reading grew the master forever.</summary>
public class FrameworkEventBoundTests
{
    private static TestMaster Master(int capacity) =>
        new(options: new MasterOptions { AdvertiseIp = "10.0.0.1", FrameworkEventCapacity = capacity, OfferTimeout = null });

    [Fact]
    public void Send_FrameworkStopsReading_CutAtTheBoundWithOneErrorAndDisconnectedUntilItSubscribesAgain()
    {
        var m = Master(capacity: 5);
        var agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();

        for (int i = 0; i < 10; i++)
        {
            m.Time.Advance(TimeSpan.FromSeconds(15));
            m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent });
            m.Core.Tick(m.Time.Now);
        }

        Assert.True(connection.TooSlow);
        Assert.True(connection.IsClosed);
        Assert.True(connection.Aborted.IsCancellationRequested);
        var left = TestMaster.Drain(connection);
        var error = Assert.Single(left);
        Assert.Equal("ERROR", error.Type);
        Assert.Contains("too slow", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, m.Core.Metrics.FrameworksDisconnectedSlow.Value);
        Assert.False(m.Core.Frameworks[framework].Connected);
        Assert.Empty(m.Core.Frameworks[framework].Offers);

        // It subscribes again with its id and is offered the agent again.
        var (again, subscribeError) = m.Core.Subscribe(new SubscribeRequest { FrameworkId = framework, Name = "marathon" });
        Assert.Null(subscribeError);
        Assert.Equal("SUBSCRIBED", TestMaster.Next(again!).Type);
        Assert.Single(m.Offers(again!));
    }

    [Fact]
    public void Reconcile_AnswersMoreThanTheBound_AreAllDeliveredWithoutCuttingTheFramework()
    {
        var m = Master(capacity: 5);
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        var tasks = Enumerable.Range(0, 12).Select(i => TestMaster.Task($"t{i}", cpus: 0.1, mem: 16)).ToList();
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = tasks }));

        Assert.Null(m.Core.Reconcile(framework, new ReconcileRequest()));

        Assert.False(connection.TooSlow);
        Assert.Equal(12, TestMaster.Drain(connection).Count(e => e.Type == "UPDATE"));
    }

    [Fact]
    public void Send_ReaderKeepsUp_NeverCut()
    {
        var m = Master(capacity: 3);
        var agent = m.RegisterAgent();
        var (_, connection) = m.Subscribe();
        for (int i = 0; i < 50; i++)
        {
            m.Time.Advance(TimeSpan.FromSeconds(15));
            m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent });
            m.Core.Tick(m.Time.Now);
            TestMaster.Drain(connection);
        }

        Assert.False(connection.TooSlow);
        Assert.False(connection.IsClosed);
    }
    [Fact]
    public void Tick_UpdateRetriesWhileTheStreamIsBackedUp_AreSkippedNotCountedAsTooSlow()
    {
        // 8 updates unread against a bound of 10: a retry pass of all 8 would cross the bound and cut a framework
        // that only has to catch up (at 100,000 tasks one retry pass was tens of thousands of events).
        var m = Master(capacity: 10);
        var agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        var tasks = Enumerable.Range(0, 8).Select(i => TestMaster.Task($"t{i}", cpus: 0.1, mem: 16)).ToList();
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = tasks }));
        foreach (var task in tasks)
        {
            Assert.Null(m.Core.StatusUpdate(agent, m.Status(task.TaskId!, framework, agent, TaskState.Running)).Error);
        }

        m.Time.Advance(m.Core.Options.StatusUpdateRetry);
        m.Core.Tick(m.Time.Now);

        Assert.False(connection.TooSlow);
        Assert.False(connection.IsClosed);
        Assert.Equal(0, m.Core.Metrics.FrameworksDisconnectedSlow.Value);
        Assert.Equal(8, TestMaster.Drain(connection).Count(e => e.Type == "UPDATE"));

        // Once the framework has caught up the skipped retries go out, never more than half the bound unread at once.
        m.Core.Tick(m.Time.Now);
        int second = TestMaster.Drain(connection).Count(e => e.Type == "UPDATE");
        m.Core.Tick(m.Time.Now);
        int third = TestMaster.Drain(connection).Count(e => e.Type == "UPDATE");
        Assert.InRange(second, 1, 5);
        Assert.Equal(8, second + third);
        Assert.False(connection.TooSlow);
    }

    [Fact]
    public void TrySendRetry_HalfTheBoundUnread_SkipsWithoutCutting()
    {
        using var connection = new FrameworkConnection("f", capacity: 4);
        connection.Send(SchedulerEvent.Heartbeat);

        Assert.True(connection.TrySendRetry(SchedulerEvent.Heartbeat));
        Assert.False(connection.TrySendRetry(SchedulerEvent.Heartbeat));
        Assert.Equal(2, connection.Unread);
        Assert.False(connection.TooSlow);
        Assert.False(connection.IsClosed);
    }
}
