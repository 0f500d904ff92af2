using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>An in-process scheduler on the master's framework API: collects offers and updates, acknowledges every update.</summary>
internal sealed class TestFramework
{
    private readonly MasterCore _master;
    private readonly List<OfferInfo> _offers = [];
    private readonly List<SchedulerStatus> _updates = [];
    private readonly object _gate = new();

    private TestFramework(MasterCore master, string id, FrameworkConnection connection)
    {
        _master = master;
        Id = id;
        _ = PumpAsync(connection);
    }

    public string Id { get; }

    public static async Task<TestFramework> SubscribeAsync(MasterCore master, string? frameworkId = null)
    {
        var (connection, error) = master.Subscribe(new SubscribeRequest { FrameworkId = frameworkId, Name = "itest", Hostname = "127.0.0.1" });
        Assert.Null(error);
        var first = await connection!.Events.ReadAsync();
        Assert.Equal("SUBSCRIBED", first.Type);
        return new TestFramework(master, first.Subscribed!.FrameworkId, connection);
    }

    public IReadOnlyList<SchedulerStatus> Updates(string taskId)
    {
        lock (_gate)
        {
            return _updates.Where(u => u.TaskId == taskId).ToList();
        }
    }

    /// <summary>Waits for an offer from the given agent and launches the task on it with the offer's first port.</summary>
    public async Task LaunchAsync(string agentId, string taskId, string command, HealthCheck? check = null, ContainerInfo? container = null)
    {
        var offer = await WaitOfferAsync(agentId);
        var port = offer.Resources.Ports[0].Begin;
        var error = _master.Accept(Id, new AcceptRequest
        {
            OfferIds = [offer.Id],
            Tasks =
            [
                new TaskSpec
                {
                    TaskId = taskId,
                    Name = "itest-app",
                    Command = new TaskCommand { Value = command },
                    Resources = new ResourceSet { Cpus = 0.1, Mem = 32, Ports = [new PortRange(port, port)] },
                    Discovery = new DiscoveryInfo
                    {
                        Name = "itest-app",
                        Ports = new DiscoveryPorts { Ports = [new DiscoveryPort { Number = port, Name = "http", Protocol = "tcp" }] },
                    },
                    HealthCheck = check,
                    Container = container,
                    KillGracePeriodSeconds = 2,
                },
            ],
        });
        Assert.Null(error);
    }

    public async Task<SchedulerStatus> WaitForStateAsync(string taskId, string state, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            var found = Updates(taskId).FirstOrDefault(u => u.State == state);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no {state} for {taskId}; got {string.Join(", ", Updates(taskId).Select(u => u.State))}");
    }

    private async Task<OfferInfo> WaitOfferAsync(string agentId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                var offer = _offers.LastOrDefault(o => o.AgentId == agentId);
                if (offer is not null)
                {
                    _offers.Remove(offer);
                    return offer;
                }
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"no offer from {agentId}");
    }

    private async Task PumpAsync(FrameworkConnection connection)
    {
        await foreach (var e in connection.Events.ReadAllAsync())
        {
            lock (_gate)
            {
                if (e.Type == "OFFERS")
                {
                    _offers.AddRange(e.Offers!);
                }
                else if (e.Type == "UPDATE")
                {
                    _updates.Add(e.Update!);
                }
            }

            if (e.Type == "UPDATE" && e.Update!.Uuid is { } uuid)
            {
                _master.Acknowledge(Id, new AcknowledgeRequest { TaskId = e.Update.TaskId, AgentId = e.Update.AgentId, Uuid = uuid });
            }
        }
    }
}
