using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Tests.Sources;

/// <summary>
/// A seeded random cluster and random task deltas for the incremental-vs-full property tests: few app names so
/// tasks share names and VIPs, agents without an address, non-serving and unhealthy tasks, container IPs,
/// DiscoveryInfo with odd protocols, named and IP VIP labels (some invalid), legacy VIP_PORT labels.
/// </summary>
internal sealed class RandomCluster
{
    private static readonly string[] Apps = ["web", "api", "db", "Web.Group", "cache", "x"];
    private static readonly string[] States = ["TASK_RUNNING", "TASK_RUNNING", "TASK_RUNNING", "TASK_RUNNING", "TASK_KILLING", "TASK_STAGING"];

    private readonly Random _random;
    private readonly SortedDictionary<string, TaskInfo>[] _tasks;
    private int _nextId;

    public RandomCluster(int seed, int initialTasks)
    {
        _random = new Random(seed);
        Agents =
        [
            new AgentInfo { Id = "20240101-0-S0", Hostname = "a0", Pid = "slave(1)@10.0.0.1:5051" },
            new AgentInfo { Id = "20240101-0-S1", Hostname = "a1", Pid = "slave(1)@10.0.0.2:5051" },
            new AgentInfo { Id = "20240101-0-S2", Hostname = "a2", Pid = "slave(1)@10.0.0.3:5051" },
            new AgentInfo { Id = "20240101-0-S3", Hostname = "not-an-ip" },
        ];
        Frameworks =
        [
            new FrameworkInfo { Id = "fw-m", Name = "marathon", Pid = "scheduler(1)@10.0.0.9:8080" },
            new FrameworkInfo { Id = "fw-o", Name = "Other FW" },
        ];
        _tasks = [new(StringComparer.Ordinal), new(StringComparer.Ordinal)];
        for (int i = 0; i < initialTasks; i++)
        {
            var (framework, task) = NewTask();
            _tasks[framework][task.Id] = task;
        }
    }

    public IReadOnlyList<AgentInfo> Agents { get; }

    public IReadOnlyList<FrameworkInfo> Frameworks { get; }

    /// <summary>The cluster now, each framework's tasks ordered by id.</summary>
    public ClusterState State() => new()
    {
        Leader = "master@10.0.0.10:5050",
        Agents = Agents,
        Frameworks = [.. Frameworks.Select((f, i) => f with { Tasks = [.. _tasks[i].Values] })],
    };

    /// <summary>A batch of 1-3 random changes (add, replace, remove), applied to this model.</summary>
    public List<TaskChange> NextDelta()
    {
        var changes = new List<TaskChange>();
        int count = _random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            int op = _random.Next(3);
            int f = _random.Next(_tasks.Length);
            if (op == 0 || _tasks[f].Count == 0)
            {
                var (framework, task) = NewTask();
                _tasks[framework][task.Id] = task;
                changes.Add(new TaskChange(Frameworks[framework].Id, task.Id, task));
                continue;
            }

            var existing = _tasks[f].Values.ElementAt(_random.Next(_tasks[f].Count));
            if (op == 1)
            {
                var replaced = RandomTask(existing.Id, Frameworks[f].Id);
                _tasks[f][existing.Id] = replaced;
                changes.Add(new TaskChange(Frameworks[f].Id, existing.Id, replaced));
            }
            else
            {
                _tasks[f].Remove(existing.Id);
                changes.Add(new TaskChange(Frameworks[f].Id, existing.Id, null));
            }
        }

        return changes;
    }

    private (int Framework, TaskInfo Task) NewTask()
    {
        int f = _random.Next(_tasks.Length);
        string id = $"{Apps[_random.Next(Apps.Length)].ToLowerInvariant().Replace('.', '_')}.{_nextId++:x6}-{_random.Next(1000)}";
        return (f, RandomTask(id, Frameworks[f].Id));
    }

    private TaskInfo RandomTask(string id, string frameworkId)
    {
        string app = Apps[_random.Next(Apps.Length)];
        int port = 31000 + _random.Next(6);
        bool discovery = _random.Next(2) == 0;
        bool checkedHealth = _random.Next(4) == 0;
        var statusLabels = new List<Label>();
        return new TaskInfo
        {
            Id = id,
            Name = app,
            FrameworkId = frameworkId,
            AgentId = Agents[_random.Next(Agents.Count)].Id,
            State = States[_random.Next(States.Length)],
            Ports = _random.Next(4) == 0 ? [] : [new PortRange(port, port + _random.Next(2))],
            HasHealthCheck = checkedHealth,
            Labels = _random.Next(5) == 0 ? [new Label("VIP_PORT0", "10.1.0." + _random.Next(1, 4) + ":80")] : [],
            Discovery = discovery
                ? new DiscoveryInfo
                {
                    Name = _random.Next(3) == 0 ? app + ".grp" : app,
                    Ports =
                    [
                        new DiscoveryPort
                        {
                            Number = port,
                            Protocol = new[] { "tcp", "udp", null, "sctp" }[_random.Next(4)],
                            Name = _random.Next(2) == 0 ? "http" : null,
                            Labels = VipLabels(app),
                        },
                    ],
                }
                : null,
            Statuses =
            [
                new TaskStatusInfo
                {
                    State = "TASK_RUNNING",
                    Timestamp = 1000 + _random.Next(10),
                    Healthy = _random.Next(3) switch { 0 => null, 1 => true, _ => checkedHealth ? true : false },
                    Labels = statusLabels,
                    NetworkIpAddresses = _random.Next(2) == 0 ? ["172.16.0." + _random.Next(1, 50)] : [],
                },
            ],
        };
    }

    private List<Label> VipLabels(string app) => _random.Next(4) switch
    {
        0 => [],
        1 => [new Label("VIP_0", "/" + app.ToLowerInvariant() + ":80")],
        2 => [new Label("VIP_0", "198.19.0." + _random.Next(1, 4) + ":8080"), new Label("network-scope", "container")],
        _ => [new Label("VIP_1", "not a vip")],
    };
}
