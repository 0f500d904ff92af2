using Minuet.DataPlane.Model;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>Cluster states for the L4 tests: tasks on the topology's backends (agent IP = backend IP).</summary>
internal static class ClusterStates
{
    public static AgentInfo[] Agents { get; } =
        [.. Enumerable.Range(0, 3).Select(i => new AgentInfo { Id = $"a{i + 1}", Hostname = $"198.18.{i + 1}.2", Pid = $"slave(1)@198.18.{i + 1}.2:5051" })];

    public static TaskInfo Task(string id, int backend, string vipLabel, int port = L4lbTopology.BackendPort, bool? healthy = null, string protocol = "tcp") => new()
    {
        Id = id,
        Name = id,
        FrameworkId = "fw",
        AgentId = $"a{backend + 1}",
        State = "TASK_RUNNING",
        Ports = [new PortRange(port, port)],
        Discovery = new DiscoveryInfo
        {
            Ports = [new DiscoveryPort { Number = port, Protocol = protocol, Labels = [new Label("VIP_0", vipLabel)] }],
        },
        Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = 1, Healthy = healthy }],
    };

    public static ClusterState State(params TaskInfo[] tasks) => new()
    {
        Agents = Agents,
        Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
    };
}
