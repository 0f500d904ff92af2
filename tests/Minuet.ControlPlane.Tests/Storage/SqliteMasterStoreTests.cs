using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Storage;

public sealed class SqliteMasterStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Open_CreatesDatabaseFileOnThisMachine()
    {
        using var store = SqliteMasterStore.Open(_dir);
        Assert.True(File.Exists(Path.Combine(_dir, SqliteMasterStore.FileName)));
        Assert.Empty(store.Load().Agents);
    }

    [Fact]
    public void PutAndLoad_EveryRecordKind_RoundTrips()
    {
        var launch = new LaunchTaskRequest
        {
            TaskId = "t1",
            Name = "web",
            FrameworkId = "f1",
            AgentId = "a1",
            Command = new CommandInfo { Value = "sleep 1", Environment = new Dictionary<string, string> { ["A"] = "b" } },
            Resources = new ResourceSet { Cpus = 0.5, Mem = 64, Ports = [new PortRange(31000, 31001)] },
            Labels = [new Label("k", "v")],
        };
        using (var store = SqliteMasterStore.Open(_dir))
        {
            store.PutMeta("master_id", "m1");
            store.PutAgent(new StoredAgent { Id = "a1", Hostname = "h", Address = "10.0.0.11", Port = 5051, Resources = new ResourceSet { Cpus = 2 } });
            store.PutFramework(new StoredFramework { Id = "f1", Name = "marathon", Role = "web" });
            store.PutTask(new StoredTask { Launch = launch, State = "TASK_RUNNING" });
            store.PutReservation("a1", "web", new ResourceSet { Cpus = 1 });
            store.PutAgent(new StoredAgent { Id = "a2", Hostname = "h2", Address = "10.0.0.12", Resources = new ResourceSet() });
            store.RemoveAgent("a2");
        }

        using (var reopened = SqliteMasterStore.Open(_dir))
        {
            var snapshot = reopened.Load();
            Assert.Equal("m1", snapshot.Meta["master_id"]);
            Assert.Equal("10.0.0.11", Assert.Single(snapshot.Agents).Address);
            Assert.Equal("web", Assert.Single(snapshot.Frameworks).Role);
            var task = Assert.Single(snapshot.Tasks);
            Assert.Equal("TASK_RUNNING", task.State);
            Assert.Equal([new PortRange(31000, 31001)], task.Launch.Resources.Ports);
            Assert.Equal("b", task.Launch.Command.Environment["A"]);
            Assert.Equal(1, Assert.Single(snapshot.Reservations).Resources.Cpus);

            reopened.PutReservation("a1", "web", null);
            reopened.RemoveTask("t1");
            Assert.Empty(reopened.Load().Reservations);
            Assert.Empty(reopened.Load().Tasks);
        }
    }

    [Fact]
    public void MasterRestart_KeepsAgentsFrameworksTasksAndReservations()
    {
        string masterId;
        string agent;
        string framework;
        var time = new ManualTime(TestMaster.T0);
        using (var store = SqliteMasterStore.Open(_dir))
        {
            var m = new TestMaster(store, time: time);
            (agent, framework, _) = m.RunningTask();
            Assert.Null(m.Core.Reserve(new ReservationRequest { AgentId = agent, Role = "web", Resources = new ResourceSet { Cpus = 1 } }));
            masterId = m.Core.MasterId;
        }

        using (var store = SqliteMasterStore.Open(_dir))
        {
            time.Advance(TimeSpan.FromMinutes(1));
            var m = new TestMaster(store, time: time);
            Assert.Equal(masterId, m.Core.MasterId);
            Assert.Equal(TaskState.Running, m.Core.Tasks["web.1"].State);
            Assert.Equal("marathon", m.Core.Frameworks[framework].Name);

            // Until it re-registers the agent is "recovered": listed (inactive) so DNS keeps its tasks' addresses.
            using (var doc = System.Text.Json.JsonDocument.Parse(m.Core.Read(Minuet.ControlPlane.Master.State.MasterStateWriter.Render)))
            {
                var slave = doc.RootElement.GetProperty("slaves")[0];
                Assert.False(slave.GetProperty("active").GetBoolean());
                Assert.Equal("TASK_RUNNING", doc.RootElement.GetProperty("frameworks")[0].GetProperty("tasks")[0].GetProperty("state").GetString());
            }

            Assert.Equal(404, m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent }).Error!.Status);
            var launch = m.Core.Tasks["web.1"].Launch;
            var (response, error) = m.Core.RegisterAgent(TestMaster.AgentRequest(agent, tasks:
                [new ReportedTask { Launch = launch, LatestStatus = m.Status("web.1", framework, agent, TaskState.Running) }]));
            Assert.Null(error);
            Assert.Equal(agent, response!.AgentId);
            Assert.Equal(TaskState.Running, m.Core.Tasks["web.1"].State);
            Assert.Equal(1, m.Core.Allocator.TotalOf(agent)!.Reserved["web"].Cpus);
            Assert.Equal(0.5, m.Core.Allocator.AllocationOf(agent, framework).Total.Cpus);

            // New agents continue the id sequence rather than reusing S0.
            Assert.Equal($"{masterId}-S1", m.RegisterAgent("10.0.0.12"));
        }
    }

    [Fact]
    public void MasterRestart_RecoveredAgentNeverReturns_TasksUnreachableAfterReregisterTimeout()
    {
        var time = new ManualTime(TestMaster.T0);
        using (var store = SqliteMasterStore.Open(_dir))
        {
            new TestMaster(store, time: time).RunningTask();
        }

        using (var store = SqliteMasterStore.Open(_dir))
        {
            var m = new TestMaster(store, time: time);
            time.Advance(TimeSpan.FromMinutes(9));
            m.Core.Tick(time.Now);
            Assert.Equal(TaskState.Running, m.Core.Tasks["web.1"].State);
            time.Advance(TimeSpan.FromMinutes(2));
            m.Core.Tick(time.Now);
            Assert.Equal(TaskState.Unreachable, m.Core.Tasks["web.1"].State);
        }
    }
}
