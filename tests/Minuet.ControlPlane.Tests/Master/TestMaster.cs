using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>A clock tests move by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Records what the master sends to agents instead of sending it.</summary>
internal sealed class RecordingDispatcher : IAgentDispatcher
{
    public List<(AgentEndpoint Agent, LaunchTaskRequest Launch)> Launches { get; } = [];

    public List<(AgentEndpoint Agent, KillTaskRequest Kill)> Kills { get; } = [];

    public void Launch(AgentEndpoint agent, LaunchTaskRequest launch)
    {
        lock (Launches)
        {
            Launches.Add((agent, launch));
        }
    }

    public void Kill(AgentEndpoint agent, KillTaskRequest kill)
    {
        lock (Kills)
        {
            Kills.Add((agent, kill));
        }
    }

    public List<(AgentEndpoint Agent, FrameworkMessage Message)> Messages { get; } = [];

    public void Message(AgentEndpoint agent, FrameworkMessage message)
    {
        lock (Messages)
        {
            Messages.Add((agent, message));
        }
    }
}

/// <summary>A master core with an in-memory (or given) store, a manual clock and a recording dispatcher, plus helpers.</summary>
internal sealed class TestMaster
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TestMaster(IMasterStore? store = null, MasterOptions? options = null, ManualTime? time = null)
    {
        Store = store ?? new InMemoryMasterStore();
        Time = time ?? new ManualTime(T0);
        Core = new MasterCore(options ?? new MasterOptions { AdvertiseIp = "10.0.0.1", Port = 5050, Hostname = "master1" }, Store, Dispatcher, Time);
    }

    public MasterCore Core { get; }

    public IMasterStore Store { get; }

    public ManualTime Time { get; }

    public RecordingDispatcher Dispatcher { get; } = new();

    public static RegisterAgentRequest AgentRequest(string? id = null, string address = "10.0.0.11", double cpus = 4, double mem = 4096, IReadOnlyList<ReportedTask>? tasks = null) => new()
    {
        AgentId = id,
        Hostname = "agent-" + address,
        Address = address,
        Port = 5051,
        Resources = new ResourceSet { Cpus = cpus, Mem = mem, Disk = 1000, Ports = [new PortRange(31000, 32000)] },
        Attributes = new Dictionary<string, string> { ["rack"] = "r1", ["level"] = "3" },
        Tasks = tasks ?? [],
    };

    public string RegisterAgent(string address = "10.0.0.11", double cpus = 4, double mem = 4096)
    {
        var (response, error) = Core.RegisterAgent(AgentRequest(null, address, cpus, mem));
        Assert.Null(error);
        return response!.AgentId;
    }

    public (string Id, FrameworkConnection Connection) Subscribe(string name = "marathon", string role = "*")
    {
        var (connection, error) = Core.Subscribe(new SubscribeRequest { Name = name, Role = role, Hostname = "10.0.0.1" });
        Assert.Null(error);
        var subscribed = Next(connection!);
        Assert.Equal("SUBSCRIBED", subscribed.Type);
        return (subscribed.Subscribed!.FrameworkId, connection!);
    }

    public static SchedulerEvent Next(FrameworkConnection connection)
    {
        Assert.True(connection.Events.TryRead(out var e), "expected an event on the framework stream");
        return e!;
    }

    public static List<SchedulerEvent> Drain(FrameworkConnection connection)
    {
        var all = new List<SchedulerEvent>();
        while (connection.Events.TryRead(out var e))
        {
            all.Add(e);
        }

        return all;
    }

    /// <summary>Ticks and returns the offers the framework got.</summary>
    public List<OfferInfo> Offers(FrameworkConnection connection)
    {
        Core.Tick(Time.Now);
        return Drain(connection).Where(e => e.Type == "OFFERS").SelectMany(e => e.Offers!).ToList();
    }

    public static TaskSpec Task(string id, double cpus = 0.5, double mem = 128, PortRange? port = null) => new()
    {
        TaskId = id,
        Name = "web",
        Command = new TaskCommand { Value = "sleep 100" },
        Resources = new ResourceSet { Cpus = cpus, Mem = mem, Ports = port is null ? [] : [port] },
        Labels = [new Label("HAPROXY_GROUP", "external")],
        Discovery = new DiscoveryInfo
        {
            Name = "web",
            Labels = new LabelList { Labels = [new Label("dc", "de1")] },
            Ports = new DiscoveryPorts
            {
                Ports = [new DiscoveryPort { Number = port?.Begin ?? 0, Name = "http", Protocol = "tcp", Labels = new LabelList { Labels = [new Label("VIP_0", "/web:80")] } }],
            },
        },
    };

    public TaskStatusUpdate Status(string taskId, string frameworkId, string agentId, TaskState state, bool? healthy = null, string? ip = "10.0.0.11") => new()
    {
        Uuid = Guid.NewGuid().ToString(),
        TaskId = taskId,
        FrameworkId = frameworkId,
        AgentId = agentId,
        State = state.ToMesosName(),
        Timestamp = MasterCore.Seconds(Time.Now),
        Healthy = healthy,
        ContainerStatus = ip is null ? null : new ContainerStatus
        {
            ContainerId = new ContainerId("c-" + taskId),
            NetworkInfos = [new NetworkInfo { Name = "host", IpAddresses = [new IpAddressInfo { IpAddress = ip }] }],
        },
    };

    /// <summary>Agent + framework + one RUNNING task; returns the ids.</summary>
    public (string Agent, string Framework, FrameworkConnection Connection) RunningTask(string taskId = "web.1")
    {
        var agent = RegisterAgent();
        var (framework, connection) = Subscribe();
        var offer = Assert.Single(Offers(connection));
        Assert.Null(Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [Task(taskId, port: new PortRange(31000, 31000))] }));
        var (_, error) = Core.StatusUpdate(agent, Status(taskId, framework, agent, TaskState.Running));
        Assert.Null(error);
        var update = Drain(connection).Single(e => e.Type == "UPDATE").Update!;
        Assert.Null(Core.Acknowledge(framework, new AcknowledgeRequest { TaskId = taskId, Uuid = update.Uuid }));
        return (agent, framework, connection);
    }
}
