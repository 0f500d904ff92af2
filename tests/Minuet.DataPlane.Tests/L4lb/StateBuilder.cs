using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Tests.L4lb;

/// <summary>Small cluster states for VIP table tests (addresses from 198.18.0.0/15 only).</summary>
internal static class StateBuilder
{
    public static AgentInfo Agent(string id, string ip) => new() { Id = id, Hostname = $"{id}.example", Pid = $"slave(1)@{ip}:5051" };

    public static TaskInfo Task(
        string id,
        string agentId,
        int port,
        IReadOnlyList<Label> portLabels,
        string state = "TASK_RUNNING",
        bool? healthy = null,
        string? containerIp = null) => new()
        {
            Id = id,
            Name = id,
            FrameworkId = "fw-1",
            AgentId = agentId,
            State = state,
            Ports = [new PortRange(port, port)],
            Discovery = new DiscoveryInfo
            {
                Name = id,
                Ports = [new DiscoveryPort { Number = port, Protocol = "tcp", Labels = portLabels }],
            },
            Statuses =
            [
                new TaskStatusInfo
                {
                    State = state,
                    Timestamp = 100,
                    Healthy = healthy,
                    NetworkIpAddresses = containerIp is null ? [] : [containerIp],
                },
            ],
        };

    public static ClusterState State(IReadOnlyList<AgentInfo> agents, params TaskInfo[] tasks) => new()
    {
        Agents = agents,
        Frameworks = [new FrameworkInfo { Id = "fw-1", Name = "marathon", Tasks = tasks }],
    };

    public static Label Vip(string value, string key = "VIP_0") => new(key, value);
}
