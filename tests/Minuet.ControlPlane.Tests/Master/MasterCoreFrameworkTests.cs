using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

public class MasterCoreFrameworkTests
{
    [Fact]
    public void Subscribe_MissingNameAndBadRole_NamesBothFields()
    {
        var m = new TestMaster();
        var (_, error) = m.Core.Subscribe(new SubscribeRequest { Role = "/bad" });
        Assert.Equal(422, error!.Status);
        Assert.Contains(error.Details!, d => d.Path == "/name");
        Assert.Contains(error.Details!, d => d.Path == "/role");
    }

    [Fact]
    public void Tick_OneAgent_OfferIsWholeAgentWithPorts()
    {
        var m = new TestMaster();
        var agent = m.RegisterAgent();
        var (_, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Equal(agent, offer.AgentId);
        Assert.Equal(4, offer.Resources.Cpus);
        Assert.Equal(4096, offer.Resources.Mem);
        Assert.Equal([new PortRange(31000, 32000)], offer.Resources.Ports);
        Assert.Equal("10.0.0.11", offer.Address);
    }

    [Fact]
    public void Accept_Valid_StagesTaskLaunchesOnAgentAndReturnsRest()
    {
        var m = new TestMaster();
        var agent = m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1", port: new PortRange(31005, 31005))] }));

        Assert.Equal(TaskState.Staging, m.Core.Tasks["t1"].State);
        var (endpoint, launch) = Assert.Single(m.Dispatcher.Launches);
        Assert.Equal(new AgentEndpoint(agent, "10.0.0.11", 5051), endpoint);
        Assert.Equal(agent, launch.AgentId);
        Assert.Equal(framework, launch.FrameworkId);
        Assert.Equal("marathon", launch.FrameworkName);

        // The unused rest is filtered for the default 5 s, then offered again without the task's share.
        Assert.Empty(m.Offers(connection));
        m.Time.Advance(TimeSpan.FromSeconds(5));
        var again = Assert.Single(m.Offers(connection));
        Assert.Equal(3.5, again.Resources.Cpus);
        Assert.Equal([new PortRange(31000, 31004), new PortRange(31006, 32000)], again.Resources.Ports);
    }

    [Fact]
    public void Decline_WithRefuseSeconds_NotReofferedUntilExpiry()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        Assert.Null(m.Core.Decline(framework, new DeclineRequest { OfferIds = [offer.Id], Filters = new OfferFilters(30) }));
        m.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(m.Offers(connection));
        m.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(m.Offers(connection));
    }

    [Fact]
    public void StatusUpdates_Unacknowledged_RetriedInOrderPerTask()
    {
        var m = new TestMaster();
        var (agent, framework, connection) = m.RunningTask();
        var killing = m.Status("web.1", framework, agent, TaskState.Killing);
        var killed = m.Status("web.1", framework, agent, TaskState.Killed);
        m.Core.StatusUpdate(agent, killing);
        m.Core.StatusUpdate(agent, killed);

        // Only the head of the task's stream is outstanding.
        var first = TestMaster.Drain(connection).Where(e => e.Type == "UPDATE").Select(e => e.Update!.Uuid).ToList();
        Assert.Equal([killing.Uuid], first);

        m.Time.Advance(TimeSpan.FromSeconds(10));
        m.Core.Tick(m.Time.Now);
        Assert.Equal([killing.Uuid], TestMaster.Drain(connection).Where(e => e.Type == "UPDATE").Select(e => e.Update!.Uuid).ToList());

        Assert.Null(m.Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = "web.1", Uuid = killing.Uuid }));
        Assert.Equal([killed.Uuid], TestMaster.Drain(connection).Where(e => e.Type == "UPDATE").Select(e => e.Update!.Uuid).ToList());
        Assert.Null(m.Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = "web.1", Uuid = killed.Uuid }));

        // Acknowledged terminal tasks leave the live table and the store.
        Assert.False(m.Core.Tasks.ContainsKey("web.1"));
        Assert.Empty(m.Store.Load().Tasks);
        Assert.NotNull(m.Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = "web.1", Uuid = "bogus" }));
    }

    [Fact]
    public void Subscribe_Again_ResendsUnacknowledgedUpdates()
    {
        var m = new TestMaster();
        var (agent, framework, connection) = m.RunningTask();
        var finished = m.Status("web.1", framework, agent, TaskState.Finished);
        m.Core.StatusUpdate(agent, finished);
        m.Core.Disconnect(connection);
        var (again, error) = m.Core.Subscribe(new SubscribeRequest { FrameworkId = framework, Name = "marathon" });
        Assert.Null(error);
        var events = TestMaster.Drain(again!);
        Assert.Equal("SUBSCRIBED", events[0].Type);
        Assert.Equal(framework, events[0].Subscribed!.FrameworkId);
        Assert.Contains(events, e => e.Type == "UPDATE" && e.Update!.Uuid == finished.Uuid);
    }

    [Fact]
    public void Reconcile_ExplicitAndImplicit_AnswerWithoutUuid()
    {
        var m = new TestMaster();
        var (_, framework, connection) = m.RunningTask();
        Assert.Null(m.Core.Reconcile(framework, new ReconcileRequest { Tasks = [new ReconcileTask("web.1"), new ReconcileTask("ghost")] }));
        var answers = TestMaster.Drain(connection).Select(e => e.Update!).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal("TASK_RUNNING", answers.Single(a => a.TaskId == "web.1").State);
        Assert.Equal("TASK_UNKNOWN", answers.Single(a => a.TaskId == "ghost").State);
        Assert.All(answers, a => Assert.Null(a.Uuid));

        Assert.Null(m.Core.Reconcile(framework, new ReconcileRequest()));
        var implicitAnswers = TestMaster.Drain(connection).Select(e => e.Update!).ToList();
        Assert.Equal("web.1", Assert.Single(implicitAnswers).TaskId);
    }

    [Fact]
    public void Kill_RunningTask_SentToAgent_UnknownTaskIs404()
    {
        var m = new TestMaster();
        var (_, framework, _) = m.RunningTask();
        Assert.Null(m.Core.Kill(framework, new KillRequest { TaskId = "web.1" }));
        Assert.Equal("web.1", Assert.Single(m.Dispatcher.Kills).Kill.TaskId);
        Assert.Equal(404, m.Core.Kill(framework, new KillRequest { TaskId = "nope" })!.Status);
        Assert.Equal(404, m.Core.Kill("other", new KillRequest { TaskId = "web.1" })!.Status);
    }

    [Fact]
    public void OnLaunchResult_AgentRefused_TaskError()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task("t1")] });
        m.Core.OnLaunchResult("t1", new AgentCallResult(false, System.Net.HttpStatusCode.UnprocessableEntity,
            new ProtocolError { Message = "bad command", Code = "invalid" }));
        Assert.Equal(TaskState.Error, m.Core.Tasks["t1"].State);
        Assert.Contains(TestMaster.Drain(connection), e => e.Type == "UPDATE" && e.Update!.State == "TASK_ERROR");
    }

    [Fact]
    public void Disconnect_RescindsOffersAndStopsOffering()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (_, connection) = m.Subscribe();
        Assert.Single(m.Offers(connection));
        m.Core.Disconnect(connection);
        Assert.True(connection.IsClosed);
        var (_, other) = m.Subscribe("other");
        Assert.Single(m.Offers(other));
    }

    [Fact]
    public void Reserve_Operator_OfferedOnlyToRoleAndShownInState()
    {
        var m = new TestMaster();
        var agent = m.RegisterAgent();
        Assert.Null(m.Core.Reserve(new ReservationRequest { AgentId = agent, Role = "web", Resources = new ResourceSet { Cpus = 1, Mem = 512 } }));
        Assert.Equal(409, m.Core.Reserve(new ReservationRequest { AgentId = agent, Role = "web", Resources = new ResourceSet { Cpus = 100 } })!.Status);
        var (_, star) = m.Subscribe("star", "*");
        Assert.Equal(3, Assert.Single(m.Offers(star)).Resources.Cpus);
        var (_, web) = m.Subscribe("webfw", "web");
        var offer = Assert.Single(m.Offers(web));
        Assert.Equal(1, offer.ReservedResources!.Cpus);
        Assert.Single(m.Store.Load().Reservations);
    }

    [Fact]
    public void Teardown_KillsTasksAndForgetsFramework()
    {
        var m = new TestMaster();
        var (_, framework, connection) = m.RunningTask();
        Assert.Null(m.Core.Teardown(framework));
        Assert.Single(m.Dispatcher.Kills);
        Assert.False(m.Core.Frameworks.ContainsKey(framework));
        Assert.True(connection.IsClosed);
        Assert.Equal(404, m.Core.Teardown(framework)!.Status);
    }

    [Fact]
    public void Teardown_AgentReregistersWithTheTask_IsToldToKillIt()
    {
        var m = new TestMaster();
        var (agent, framework, _) = m.RunningTask();
        var launch = m.Dispatcher.Launches.Single().Launch;
        m.Core.Teardown(framework);
        var (response, _) = m.Core.RegisterAgent(TestMaster.AgentRequest(agent, tasks:
            [new ReportedTask { Launch = launch, LatestStatus = m.Status("web.1", framework, agent, TaskState.Running) }]));
        Assert.Equal(["web.1"], response!.KillTaskIds);
        Assert.False(m.Core.Frameworks.ContainsKey(framework));
    }
}
