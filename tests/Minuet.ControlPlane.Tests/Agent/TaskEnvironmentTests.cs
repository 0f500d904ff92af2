using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class TaskEnvironmentTests
{
    private static LaunchTaskRequest Launch(IReadOnlyDictionary<string, string>? env = null) => new()
    {
        TaskId = "web.1",
        Name = "web",
        FrameworkId = "fw",
        AgentId = "m-S1",
        Command = new CommandInfo { Value = "true", Environment = env ?? new Dictionary<string, string>() },
        Resources = new ResourceSet { Ports = [new PortRange(31000, 31001), new PortRange(31005, 31005)] },
        Discovery = new DiscoveryInfo
        {
            Ports = new DiscoveryPorts { Ports = [new DiscoveryPort { Number = 31000, Name = "http-api" }, new DiscoveryPort { Number = 31001 }] },
        },
    };

    [Fact]
    public void Build_PortsInRangeOrder_GivesPortNPortPortsAndNamedPorts()
    {
        var env = TaskEnvironment.Build(Launch(), "agent1", "/sb", "/bin");

        Assert.Equal("31000", env["PORT0"]);
        Assert.Equal("31001", env["PORT1"]);
        Assert.Equal("31005", env["PORT2"]);
        Assert.Equal("31000", env["PORT"]);
        Assert.Equal("31000,31001,31005", env["PORTS"]);
        Assert.Equal("31000", env["PORT_HTTP_API"]);
        Assert.False(env.ContainsKey("PORT3"));
        Assert.Equal("agent1", env["HOST"]);
        Assert.Equal("web.1", env["MESOS_TASK_ID"]);
        Assert.Equal("/sb", env["MESOS_SANDBOX"]);
        Assert.Equal("/bin", env["PATH"]);
    }

    [Fact]
    public void Build_TaskEnv_OverridesAgentValuesButNotMesosOnes()
    {
        var env = TaskEnvironment.Build(Launch(new Dictionary<string, string>
        {
            ["HOST"] = "mine", ["PORT0"] = "1", ["MESOS_SANDBOX"] = "/evil", ["APP"] = "x",
        }), "agent1", "/sb", null);

        Assert.Equal("mine", env["HOST"]);
        Assert.Equal("1", env["PORT0"]);
        Assert.Equal("/sb", env["MESOS_SANDBOX"]);
        Assert.Equal("x", env["APP"]);
        Assert.Equal(TaskEnvironment.DefaultPath, env["PATH"]);
    }

    [Fact]
    public void Build_NoPorts_HasNoPortVariables()
    {
        var env = TaskEnvironment.Build(Launch() with { Resources = new ResourceSet(), Discovery = null }, "h", "/sb", null);

        Assert.DoesNotContain(env.Keys, k => k.StartsWith("PORT", StringComparison.Ordinal));
    }

    [Fact]
    public void CommandArgv_ShellAndArgs_FollowMesos()
    {
        Assert.Equal(["/bin/sh", "-c", "echo hi"], TaskEnvironment.CommandArgv(new CommandInfo { Value = "echo hi" }));
        Assert.Equal(["/bin/echo", "x"], TaskEnvironment.CommandArgv(new CommandInfo { Shell = false, Arguments = ["/bin/echo", "x"] }));
        Assert.Equal(["/usr/bin/env", "x"], TaskEnvironment.CommandArgv(new CommandInfo { Shell = false, Value = "/usr/bin/env", Arguments = ["env", "x"] }));
    }
}
