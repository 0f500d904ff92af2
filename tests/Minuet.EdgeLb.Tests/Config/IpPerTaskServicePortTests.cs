using Minuet.Platform.EdgeLb.Config;

namespace Minuet.EdgeLb.Tests.Config;

/// <summary>
/// IP-per-task apps without service ports (Marathon issue 3636) get ports from 10050-10100 as marathon-lb's
/// <c>ServicePortAssigner</c> picks them, and their tasks are served on the task's own IP and container (or discovery)
/// port. The expected ports and server ids were computed by marathon-lb's own utils.py and calculate_server_id.
/// </summary>
public sealed class IpPerTaskServicePortTests
{
    private const string Ippt = """
        {"id":"/ippt","instances":1,"labels":{"HAPROXY_GROUP":"external"},
         "networks":[{"mode":"container","name":"dcos"}],
         "container":{"type":"MESOS","portMappings":[{"containerPort":80,"name":"http"},{"containerPort":81}]},
         "tasks":[{"id":"ippt.1","host":"agent1","ports":[],"ipAddresses":[{"ipAddress":"10.0.0.5","protocol":"IPv4"}],"state":"TASK_RUNNING"}]}
        """;

    private const string Legacy = """
        {"id":"/legacy","instances":1,"labels":{"HAPROXY_GROUP":"external"},
         "ipAddress":{"networkName":"dcos","discovery":{"ports":[{"number":8080,"name":"http","protocol":"tcp"}]}},
         "container":{"type":"DOCKER","docker":{"network":"USER","image":"nginx"}},
         "tasks":[{"id":"legacy.1","host":"agent1","ipAddresses":[{"ipAddress":"10.0.0.6"}],"state":"TASK_RUNNING"}]}
        """;

    [Fact]
    public void Render_IpPerTaskWithoutServicePorts_AssignedPortsAndTaskIpBackends()
    {
        var (config, rejections) = Apps.Render(Apps.Document(Ippt, Legacy));
        Assert.Empty(rejections);
        Assert.Equal(Apps.FixedFrontends + """

            frontend ippt_10097
              bind *:10097
              mode tcp
              use_backend ippt_10097

            frontend ippt_10100
              bind *:10100
              mode tcp
              use_backend ippt_10100

            frontend legacy_10089
              bind *:10089
              mode tcp
              use_backend legacy_10089

            backend ippt_10097
              balance roundrobin
              mode tcp
              server agent1_10_0_0_5_80 10.0.0.5:80 id 20442

            backend ippt_10100
              balance roundrobin
              mode tcp
              server agent1_10_0_0_5_81 10.0.0.5:81 id 28875

            backend legacy_10089
              balance roundrobin
              mode tcp
              server agent1_10_0_0_6_8080 10.0.0.6:8080 id 28975

            """, config.Text[Apps.Head.Length..]);
    }

    [Fact]
    public void Render_IpPerTaskWithServicePorts_KeepsMarathonsPorts()
    {
        string app = Ippt.Replace("{\"containerPort\":80,\"name\":\"http\"}", "{\"containerPort\":80,\"servicePort\":10000}", StringComparison.Ordinal)
            .Replace("{\"containerPort\":81}", "{\"containerPort\":81,\"servicePort\":10001}", StringComparison.Ordinal);
        var (config, _) = Apps.Render(Apps.Document(app));
        Assert.Contains("  server agent1_10_0_0_5_80 10.0.0.5:80 ", config.Text, StringComparison.Ordinal);
        Assert.Contains("frontend ippt_10000\n", config.Text, StringComparison.Ordinal);
        Assert.Contains("frontend ippt_10001\n", config.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ippt_10097", config.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IpPerTaskTaskWithoutIp_TaskLeftOut()
    {
        var (config, _) = Apps.Render(Apps.Document(Ippt.Replace("[{\"ipAddress\":\"10.0.0.5\",\"protocol\":\"IPv4\"}]", "[]", StringComparison.Ordinal)));
        Assert.DoesNotContain("ippt_", config.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_MoreTaskPortsThanTheRange_ExtraPortsUnassigned()
    {
        var assigner = new IpPerTaskPorts(10000, 10002);
        var app = new MarathonApp("/many", 1, new Dictionary<string, string>(), [], [1, 2, 3, 4, 5], true, [],
            [new MarathonTask("t", "agent1", [], ["10.0.0.1"], "TASK_RUNNING", null)], null);
        var ports = assigner.For(app);
        Assert.Equal([10000, 10001, 10002], ports.Take(3).OfType<int>().Order());
        Assert.Equal([null, null], ports.Skip(3));
    }
}
