using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>A master core filled in-process with N agents and M running tasks (no I/O): the subject of the control benchmarks.</summary>
internal static class SimulatedCluster
{
    private sealed class NoDispatch : IAgentDispatcher
    {
        public void Launch(AgentEndpoint agent, LaunchTaskRequest launch)
        {
        }

        public void Kill(AgentEndpoint agent, KillTaskRequest kill)
        {
        }
    }

    public static MasterCore Build(int agents, int tasks, int frameworks = 1, IMasterStore? store = null) => BuildWithScheduler(agents, tasks, frameworks, store).Core;

    /// <summary>The same cluster plus the first framework's id and event stream (drained), to drive more cycles.</summary>
    public static (MasterCore Core, string FrameworkId, FrameworkConnection Events) BuildWithScheduler(int agents, int tasks, int frameworks = 1, IMasterStore? store = null)
    {
        var core = new MasterCore(new MasterOptions { AdvertiseIp = "198.18.0.1", Port = 5050, Hostname = "master" }, store ?? new InMemoryMasterStore(), new NoDispatch());
        var agentIds = new List<string>(agents);
        for (int i = 0; i < agents; i++)
        {
            var (response, error) = core.RegisterAgent(new RegisterAgentRequest
            {
                Hostname = $"agent-{i}",
                Address = $"198.18.{i / 250}.{(i % 250) + 1}",
                Port = 5051,
                Resources = new ResourceSet { Cpus = 16, Mem = 65536, Disk = 100000, Ports = [new PortRange(31000, 32000)] },
                Attributes = new Dictionary<string, string> { ["rack"] = $"r{i % 20}" },
            });
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }

            agentIds.Add(response!.AgentId);
        }

        var connections = new List<(string Id, FrameworkConnection Connection)>();
        for (int f = 0; f < frameworks; f++)
        {
            var (connection, error) = core.Subscribe(new SubscribeRequest { Name = f == 0 ? "marathon" : $"framework-{f}", Role = f % 3 == 0 ? "*" : $"role{f % 3}" });
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }

            connections.Add((connection!.FrameworkId, connection));
        }

        core.Tick(DateTimeOffset.UtcNow);
        var (frameworkId, events) = connections[0];
        int perAgent = Math.Max(1, (tasks + agents - 1) / agents);
        int launched = 0;
        // Offers are taken off the stream first and the stream is drained after every accept: the updates the
        // launches produce would otherwise fill it (10,000 events at 1,000 agents), and a full stream cuts the
        // framework off and rescinds the offers not yet used.
        var offers = new Queue<OfferInfo>();
        Drain(events, offers);
        while (offers.TryDequeue(out var next))
        {
            foreach (var offer in new[] { next })
            {
                var specs = new List<TaskSpec>();
                for (int k = 0; k < perAgent && launched < tasks; k++, launched++)
                {
                    uint port = 31000 + (uint)k;
                    specs.Add(new TaskSpec
                    {
                        TaskId = $"app{launched % 1000}.instance-{launched:D6}",
                        Name = $"app{launched % 1000}",
                        Command = new TaskCommand { Value = "sleep 3600" },
                        Resources = new ResourceSet { Cpus = 0.1, Mem = 32, Ports = [new PortRange((int)port, (int)port)] },
                        Labels = [new Label("HAPROXY_GROUP", "external")],
                        Discovery = new DiscoveryInfo
                        {
                            Name = $"app{launched % 1000}",
                            Ports = new DiscoveryPorts
                            {
                                Ports = [new DiscoveryPort { Number = (int)port, Name = "http", Protocol = "tcp", Labels = new LabelList { Labels = [new Label("VIP_0", $"/app{launched % 1000}:80")] } }],
                            },
                        },
                    });
                }

                if (core.Accept(frameworkId, new AcceptRequest { OfferIds = [offer.Id], Tasks = specs }) is { } error)
                {
                    throw new InvalidOperationException(error.Message);
                }

                foreach (var spec in specs)
                {
                    core.StatusUpdate(offer.AgentId, new TaskStatusUpdate
                    {
                        Uuid = Guid.NewGuid().ToString(),
                        TaskId = spec.TaskId!,
                        FrameworkId = frameworkId,
                        AgentId = offer.AgentId,
                        State = "TASK_RUNNING",
                        Timestamp = 1_700_000_000,
                        Healthy = true,
                        ContainerStatus = new ContainerStatus
                        {
                            ContainerId = new ContainerId(spec.TaskId!),
                            NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = offer.Address }] }],
                        },
                    });
                }
            }

            Drain(events, offers);
        }

        // Drain the framework streams so queued events do not count as live state.
        foreach (var (_, connection) in connections)
        {
            while (connection.Events.TryRead(out _))
            {
            }
        }

        return (core, frameworkId, events);
    }

    private static void Drain(FrameworkConnection events, Queue<OfferInfo> offers)
    {
        while (events.Events.TryRead(out var e))
        {
            foreach (var offer in e.Offers ?? [])
            {
                offers.Enqueue(offer);
            }
        }
    }
}
