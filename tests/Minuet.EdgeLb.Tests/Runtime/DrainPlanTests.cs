using Minuet.EdgeLb.Tests.Config;
using Minuet.Platform.EdgeLb.Config;
using Minuet.Platform.EdgeLb.Runtime;

namespace Minuet.EdgeLb.Tests.Runtime;

/// <summary>
/// What keeps a scale-down from failing requests on the HAProxy side: a task in TASK_KILLING leaves its backend through
/// the runtime API (maintenance first, deleted once idle, never its sessions cut up front), and requests a dead server
/// refused or dropped are retried on another one.
/// </summary>
public sealed class DrainPlanTests
{
    private static string TwoTasks(string secondState) => Apps.Document($$"""
        {"id":"/nginx","instances":2,"labels":{"HAPROXY_GROUP":"external"},
         "portDefinitions":[{"port":10000,"protocol":"tcp"}],"healthChecks":[{{Apps.HttpCheck}}],
         "tasks":[{"id":"nginx.1","host":"agent1","ports":[1024],"state":"TASK_RUNNING","healthCheckResults":[{"alive":true}]},
                  {"id":"nginx.2","host":"agent1","ports":[1025],"state":"{{secondState}}","healthCheckResults":[{"alive":true}]}]}
        """);

    [Fact]
    public void Plan_TaskTurnsKilling_PutsItsServerInMaintenanceThenDeletesWithoutCuttingSessions()
    {
        var (running, _) = Apps.Render(TwoTasks("TASK_RUNNING"));
        var (killing, _) = Apps.Render(TwoTasks("TASK_KILLING"));

        var commands = ServerDelta.Plan(running, killing);

        Assert.Equal(["set server nginx_10000/agent1_1_1_1_1_1025 state maint", "del server nginx_10000/agent1_1_1_1_1_1025"], commands);
    }

    [Fact]
    public void Render_Defaults_RetryRefusedOrEmptyResponsesOnAnotherServerButNotAppErrors()
    {
        string head = ConfigHead.Render(Apps.Options());

        Assert.Contains("\n  option            redispatch 1\n", head, StringComparison.Ordinal);
        Assert.Contains("\n  retries                   3\n", head, StringComparison.Ordinal);
        Assert.Contains("\n  retry-on          conn-failure empty-response junk-response\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("all-retryable-errors", head, StringComparison.Ordinal);
    }

    [Fact]
    public void SocketDir_ShallowDir_IsTheDirItself()
    {
        Assert.Equal("/run/mlb", ConfigHead.SocketDir("/run/mlb"));
        Assert.Equal("/run/mlb/haproxy.sock", ConfigHead.StatsSocket("/run/mlb"));
    }

    [Fact]
    public void SocketDir_SandboxTooDeepForASocketPath_IsAShortStableDirPerHaproxyDir()
    {
        string sandbox = "/tmp/minuet-mmlb-dc12aa/state/agent0/sandboxes/marathon-lb.5637e8fe-1064-4ff4-9897-4919a71424e3/haproxy";
        string other = sandbox.Replace("5637e8fe", "00000000", StringComparison.Ordinal);

        string socket = ConfigHead.ControlSocket(sandbox);

        Assert.True(socket.Length <= 107, socket);
        Assert.True(ConfigHead.StatsSocket(sandbox).Length <= 107);
        Assert.StartsWith("/tmp/minuet-edgelb-", socket, StringComparison.Ordinal);
        Assert.Equal(socket, ConfigHead.ControlSocket(sandbox));
        Assert.NotEqual(ConfigHead.SocketDir(sandbox), ConfigHead.SocketDir(other));
        Assert.Contains($"stats socket {ConfigHead.StatsSocket(sandbox)} ", ConfigHead.Render(Apps.Options() with { HaproxyDir = sandbox }), StringComparison.Ordinal);
    }
}
