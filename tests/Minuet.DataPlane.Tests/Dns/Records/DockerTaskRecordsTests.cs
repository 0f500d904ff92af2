using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using static Minuet.DataPlane.Tests.Dns.Records.RecordExpectations;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>
/// A Docker task that reports its container IP: its name resolves to that IP (netinfo first, as Mesos-DNS), a
/// host-scoped port (bridge mapping) is published with its SRV on the agent's .slave name, a container-scoped one
/// on the task's own name.
/// </summary>
public class DockerTaskRecordsTests
{
    private static DnsRecordSet Build()
    {
        var task = new TaskInfo
        {
            Id = "web.1", Name = "web", FrameworkId = "f", AgentId = "a-S0", State = "TASK_RUNNING",
            Ports = [new PortRange(31001, 31001)],
            Discovery = new DiscoveryInfo
            {
                Name = "web",
                Ports =
                [
                    new DiscoveryPort { Number = 31001, Protocol = "tcp", Name = "http", Labels = [new Label("network-scope", "host")] },
                    new DiscoveryPort { Number = 8080, Protocol = "tcp", Name = "admin", Labels = [new Label("network-scope", "container")] },
                ],
            },
            Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = 1, NetworkIpAddresses = ["198.18.240.2"] }],
        };
        var state = new ClusterState
        {
            Agents = [new AgentInfo { Id = "a-S0", Pid = "slave(1)@127.0.0.1:5051" }],
            Frameworks = [new FrameworkInfo { Id = "f", Name = "marathon", Tasks = [task] }],
        };
        return new DnsRecordBuilder(new DnsRecordOptions()).Build(state);
    }

    [Fact]
    public void Build_BridgeTask_NameIsContainerIpAndHostPortSrvPointsAtTheAgent()
    {
        var set = Build();
        AssertValues(set, "web.marathon.mesos", "A", "198.18.240.2");
        AssertValues(set, "web.marathon.slave.mesos", "A", "127.0.0.1");

        var http = Values(set, "_http._web._tcp.marathon.mesos", "SRV");
        var target = Assert.Single(http);
        Assert.EndsWith(".marathon.slave.mesos.:31001", target, StringComparison.Ordinal);
        AssertValues(set, target[..target.IndexOf(".:", StringComparison.Ordinal)], "A", "127.0.0.1");

        // The container-scoped port stays on the task's own name, which is its container IP.
        var admin = Assert.Single(Values(set, "_admin._web._tcp.marathon.mesos", "SRV"));
        Assert.EndsWith(".marathon.mesos.:8080", admin, StringComparison.Ordinal);
        Assert.DoesNotContain(".slave.", admin, StringComparison.Ordinal);
        AssertValues(set, admin[..admin.IndexOf(".:", StringComparison.Ordinal)], "A", "198.18.240.2");

        // The port resource's own SRV (_t._tcp.f.slave.D) is the host port on the agent, as for any task.
        Assert.Contains(Values(set, "_web._tcp.marathon.slave.mesos", "SRV"), v => v.EndsWith(":31001", StringComparison.Ordinal));
    }
}
