using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Issue: one bad task in an accept failed the whole accept and leaked the offer, stopping every launch.</summary>
public class MasterCoreAcceptTests
{
    [Fact]
    public void Accept_OneTaskIdOverTheLimit_OthersLaunchAndItAloneGetsTaskErrorNamingTheField()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        string longId = new('x', 201);

        var error = m.Core.Accept(framework, new AcceptRequest
        {
            OfferIds = [offer.Id],
            Tasks = [TestMaster.Task("good.1"), TestMaster.Task(longId), TestMaster.Task("good.2", port: new PortRange(80, 80)), TestMaster.Task("good.3")],
        });

        Assert.Null(error);
        Assert.Equal(["good.1", "good.3"], m.Dispatcher.Launches.Select(l => l.Launch.TaskId).Order());
        Assert.Equal(TaskState.Staging, m.Core.Tasks["good.1"].State);
        Assert.False(m.Core.Tasks.ContainsKey(longId));
        var updates = TestMaster.Drain(connection).Where(e => e.Type == "UPDATE").Select(e => e.Update!).ToList();
        var tooLong = Assert.Single(updates, u => u.TaskId == longId);
        Assert.Equal("TASK_ERROR", tooLong.State);
        Assert.Equal(TaskStatusReasons.TaskInvalid, tooLong.Reason);
        Assert.Contains("/task_id", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("200 characters", tooLong.Message, StringComparison.Ordinal);
        var portless = Assert.Single(updates, u => u.TaskId == "good.2");
        Assert.Contains("/resources", portless.Message, StringComparison.Ordinal);
        Assert.Equal(2, m.Core.Metrics.TasksInvalid.Value);

        // The bad tasks' share returns with the rest of the offer after the refuse time: 4 - 2 × 0.5 cpus.
        m.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, Assert.Single(m.Offers(connection)).Resources.Cpus);
    }

    [Fact]
    public void Accept_TaskErrorOfAnInvalidTask_IsRetriedUntilAcknowledged()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("bad", cpus: -1)] }));
        var first = TestMaster.Drain(connection).Single(e => e.Type == "UPDATE").Update!;
        Assert.NotNull(first.Uuid);

        m.Time.Advance(TimeSpan.FromSeconds(10));
        m.Core.Tick(m.Time.Now);
        Assert.Contains(TestMaster.Drain(connection), e => e.Type == "UPDATE" && e.Update!.Uuid == first.Uuid);
        Assert.Null(m.Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = "bad", Uuid = first.Uuid }));
        m.Time.Advance(TimeSpan.FromSeconds(10));
        m.Core.Tick(m.Time.Now);
        Assert.DoesNotContain(TestMaster.Drain(connection), e => e.Type == "UPDATE");
    }

    [Fact]
    public void Accept_UnknownOffer_RefusedWholeAndTheValidOfferReturnsAtOnce()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));

        var error = m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id, "no-such-offer"], Tasks = [TestMaster.Task("t1")] });

        Assert.Equal(422, error!.Status);
        Assert.Contains(error.Details!, d => d.Path == "/offer_ids/1");
        Assert.Empty(m.Dispatcher.Launches);
        // Not leaked: the next allocation (no filter) offers the whole agent again.
        var again = Assert.Single(m.Offers(connection));
        Assert.NotEqual(offer.Id, again.Id);
        Assert.Equal(4, again.Resources.Cpus);
    }

    [Fact]
    public void Accept_TasksWithoutIdsOrWithClashingIds_RefusedWholeNamingEachAndOffersReturn()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));

        var error = m.Core.Accept(framework, new AcceptRequest
        {
            OfferIds = [offer.Id],
            Tasks = [TestMaster.Task("t1"), TestMaster.Task("t1"), TestMaster.Task(""), null!],
        });

        Assert.Equal(422, error!.Status);
        Assert.Equal(["/tasks/1/task_id", "/tasks/2/task_id", "/tasks/3"], error.Details!.Select(d => d.Path));
        Assert.Empty(m.Dispatcher.Launches);
        Assert.Equal(1, m.Core.Metrics.AcceptsRefused.Value);
        Assert.Single(m.Offers(connection));
    }

    [Fact]
    public void Accept_AfterARefusedAccept_LaterLaunchesOfOtherTasksWork()
    {
        var m = new TestMaster();
        var agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("running")] }));
        m.Time.Advance(TimeSpan.FromSeconds(5));

        // A clash with a live task refuses the whole accept...
        offer = Assert.Single(m.Offers(connection));
        Assert.Equal(422, m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("running")] })!.Status);

        // ...and the very next offer launches something else.
        offer = Assert.Single(m.Offers(connection));
        Assert.Equal(agent, offer.AgentId);
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("other")] }));
        Assert.Equal(["running", "other"], m.Dispatcher.Launches.Select(l => l.Launch.TaskId));
    }

    [Fact]
    public void Tick_OfferHeldPastOfferTimeout_RescindedAndOfferedAgain()
    {
        var m = new TestMaster(options: new MasterOptions { AdvertiseIp = "10.0.0.1", OfferTimeout = TimeSpan.FromMinutes(1) });
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));

        m.Time.Advance(TimeSpan.FromSeconds(59));
        m.Core.Tick(m.Time.Now);
        Assert.DoesNotContain(TestMaster.Drain(connection), e => e.Type == "RESCIND");

        m.Time.Advance(TimeSpan.FromSeconds(1));
        m.Core.Tick(m.Time.Now);
        var events = TestMaster.Drain(connection);
        Assert.Equal(offer.Id, Assert.Single(events, e => e.Type == "RESCIND").RescindOfferId);
        var again = Assert.Single(events.Where(e => e.Type == "OFFERS").SelectMany(e => e.Offers!));
        Assert.NotEqual(offer.Id, again.Id);
        Assert.Equal(1, m.Core.Metrics.OffersRescindedTimeout.Value);

        // The rescinded offer is gone for good; the new one works.
        Assert.Equal(422, m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1")] })!.Status);
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [again.Id], Tasks = [TestMaster.Task("t1")] }));
    }

    [Fact]
    public void Tick_OfferTimeoutOff_OfferIsKept()
    {
        var m = new TestMaster(options: new MasterOptions { AdvertiseIp = "10.0.0.1", OfferTimeout = null });
        var agent = m.RegisterAgent();
        var (_, connection) = m.Subscribe();
        Assert.Single(m.Offers(connection));
        for (int i = 0; i < 60; i++)
        {
            m.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Null(m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent }).Error);
            m.Core.Tick(m.Time.Now);
        }

        Assert.DoesNotContain(TestMaster.Drain(connection), e => e.Type == "RESCIND");
    }

    /// <summary>
    /// Issue: GROUP_BY hostname put all 4 instances on one of two agents. The master's side is right: one cycle
    /// offers every agent at once, in one OFFERS event, so a scheduler sees both groups before it places anything.
    /// </summary>
    [Fact]
    public void Tick_TwoAgents_BothOfferedInOneOffersEvent()
    {
        var m = new TestMaster();
        var a = m.RegisterAgent("10.0.0.11");
        var b = m.RegisterAgent("10.0.0.12");
        var (_, connection) = m.Subscribe();
        m.Core.Tick(m.Time.Now);

        var offers = Assert.Single(TestMaster.Drain(connection), e => e.Type == "OFFERS").Offers!;
        Assert.Equal([a, b], offers.Select(o => o.AgentId).Order());
        Assert.Equal(2, offers.Select(o => o.Hostname).Distinct().Count());
    }
}
