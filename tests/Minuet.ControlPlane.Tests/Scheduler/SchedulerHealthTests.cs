using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Health;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Several health checks per app (agent-run and scheduler-run) and readiness checks gating deployments.</summary>
public class SchedulerHealthTests
{
    private const string TwoChecks = """
        {"id":"/hc","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0,"name":"http"},{"port":0,"name":"admin"}],
         "healthChecks":[{"protocol":"HTTP","path":"/health","portIndex":0,"gracePeriodSeconds":0,"intervalSeconds":5,"maxConsecutiveFailures":2},
                         {"protocol":"TCP","portIndex":1,"gracePeriodSeconds":0,"intervalSeconds":5,"maxConsecutiveFailures":2}]}
        """;

    [Fact]
    public void Launch_TwoMarathonChecks_AgentRunsFirstSchedulerProbesSecond()
    {
        var (h, task) = Running(TwoChecks);
        var launch = h.LaunchOf(task);
        Assert.Equal("HTTP", launch.HealthCheck!.Type);
        Assert.Equal("/health", launch.HealthCheck.Http!.Path);

        var probe = Assert.Single(h.Core.DueProbes());
        Assert.Equal((ProbeKind.Health, 1, "TCP"), (probe.Kind, probe.Index, probe.Protocol));
        Assert.Equal(launch.Resources.Ports.SelectMany(r => Enumerable.Range(r.Begin, r.End - r.Begin + 1)).ToList()[1], probe.Port);

        // In flight: not handed out twice.
        Assert.Empty(h.Core.DueProbes());
    }

    [Fact]
    public void Health_AgentHealthyButSchedulerCheckUnknown_TaskNotHealthyUntilBothPass()
    {
        var (h, task) = Running(TwoChecks);
        using var events = h.Core.Events.Subscribe(["health_status_changed_event"]);
        h.Report(task, TaskState.Running, healthy: true);
        h.Core.Tick();
        Assert.False(IsHealthy(h, task));
        Assert.NotEmpty(h.Core.Read(v => v.Deployments.Keys.ToList()));

        var probe = Assert.Single(h.Core.DueProbes());
        h.Core.OnProbeResult(probe, new ProbeOutcome(true, null, null, null));
        Assert.True(IsHealthy(h, task));
        Assert.Empty(h.Core.Read(v => v.Deployments.Keys.ToList()));

        // One event per check that changed.
        int count = 0;
        while (events.Reader.TryRead(out var e))
        {
            Assert.Contains("\"alive\":true", e.Json, StringComparison.Ordinal);
            count++;
        }

        Assert.Equal(2, count);
    }

    [Fact]
    public void Health_SchedulerCheckFailsWhileAgentHealthy_TaskUnhealthyThenKilledAsFailure()
    {
        var (h, task) = Running(TwoChecks);
        h.Report(task, TaskState.Running, healthy: true);
        using var events = h.Core.Events.Subscribe(["unhealthy_task_kill_event", "health_status_changed_event", "failed_health_check_event"]);

        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), ProbeOutcome.Failed("connect refused"));
        Assert.False(IsHealthy(h, task));
        Assert.False(h.Core.Read(v => v.Apps["/hc"].Tasks[task].Healthy));
        Assert.DoesNotContain(task, h.Killed());

        // Not due again before its interval.
        Assert.Empty(h.Core.DueProbes());
        h.Master.Time.Advance(TimeSpan.FromSeconds(5));
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), ProbeOutcome.Failed("connect refused"));
        h.Pump();
        Assert.Contains(task, h.Killed());

        h.CompleteKills();
        Assert.Equal(1, h.Core.Read(v => v.Apps["/hc"].Failures));
        var types = new List<string>();
        while (events.Reader.TryRead(out var e))
        {
            types.Add(e.Type);
        }

        Assert.Equal(["failed_health_check_event", "health_status_changed_event", "failed_health_check_event", "unhealthy_task_kill_event"], types);
    }

    [Fact]
    public void Health_FailureWithinGracePeriod_IsIgnored()
    {
        var (h, task) = Running("""
            {"id":"/g","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0},{"port":0}],
             "healthChecks":[{"protocol":"COMMAND","command":{"value":"true"}},{"protocol":"HTTP","portIndex":1,"gracePeriodSeconds":30,"maxConsecutiveFailures":1}]}
            """, "/g");
        Assert.Equal("COMMAND", h.LaunchOf(task).HealthCheck!.Type);
        var probe = Assert.Single(h.Core.DueProbes());
        Assert.Equal(("HTTP", 1), (probe.Protocol, probe.Index));
        h.Core.OnProbeResult(probe, new ProbeOutcome(true, 503, null, null));
        Assert.Null(h.Core.Read(v => v.Apps["/g"].Tasks[task].Checks.Single(c => !c.OnAgent).Alive));
        Assert.DoesNotContain(task, h.Killed());
    }

    [Fact]
    public void Launch_MesosCheckAfterMarathonCheck_AgentRunsTheMesosOne()
    {
        var (h, task) = Running("""
            {"id":"/m","cmd":"sleep 9","cpus":0.1,"mem":32,"healthChecks":[{"protocol":"HTTP"},{"protocol":"MESOS_TCP"}]}
            """, "/m");
        Assert.Equal("TCP", h.LaunchOf(task).HealthCheck!.Type);
        var probe = Assert.Single(h.Core.DueProbes());
        Assert.Equal(("HTTP", 0), (probe.Protocol, probe.Index));
    }

    [Fact]
    public void Readiness_NotReadyThenReady_DeploymentWaitsForIt()
    {
        var (h, task) = Running("""
            {"id":"/r","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0,"name":"api"}],
             "healthChecks":[{"protocol":"MESOS_TCP"}],
             "readinessChecks":[{"name":"ready","path":"/ready","portName":"api","intervalSeconds":3,"timeoutSeconds":1,"httpStatusCodesForReady":[200,204]}]}
            """, "/r");

        // Readiness starts once the task is healthy.
        Assert.Empty(h.Core.DueProbes());
        h.Report(task, TaskState.Running, healthy: true);
        var probe = Assert.Single(h.Core.DueProbes());
        Assert.Equal((ProbeKind.Readiness, "/ready"), (probe.Kind, probe.Path));
        h.Core.OnProbeResult(probe, new ProbeOutcome(true, 503, "warming up", null));
        h.Core.Tick();
        Assert.NotEmpty(h.Core.Read(v => v.Deployments.Keys.ToList()));

        h.Master.Time.Advance(TimeSpan.FromSeconds(3));
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), new ProbeOutcome(true, 204, null, null));
        Assert.Empty(h.Core.Read(v => v.Deployments.Keys.ToList()));

        // Ready tasks are not probed again.
        h.Master.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Core.DueProbes());
    }

    [Fact]
    public void Restart_NewTaskNotReady_OldTaskKeptUntilReady()
    {
        var (h, old) = Running("""
            {"id":"/r","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0,"name":"api"}],
             "readinessChecks":[{"portName":"api","intervalSeconds":3,"timeoutSeconds":1}]}
            """, "/r");
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), new ProbeOutcome(true, 200, null, null));
        Assert.Empty(h.Core.Read(v => v.Deployments.Keys.ToList()));

        Assert.True(h.Core.RestartApp("/r").IsSuccess);
        h.Offer();
        var fresh = Assert.Single(h.LiveTasks("/r"), t => t != old);
        h.Report(fresh, TaskState.Running);
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), new ProbeOutcome(true, 503, null, null));
        h.Pump();
        Assert.DoesNotContain(old, h.Killed());

        h.Master.Time.Advance(TimeSpan.FromSeconds(3));
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), new ProbeOutcome(true, 200, null, null));
        h.Pump();
        Assert.Contains(old, h.Killed());
    }

    [Fact]
    public void Recovery_ReadyAndAgentVerdict_SurviveRestart()
    {
        var (h, task) = Running("""
            {"id":"/r","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0,"name":"api"}],"healthChecks":[{"protocol":"TCP"}],
             "readinessChecks":[{"portName":"api","intervalSeconds":3,"timeoutSeconds":1}]}
            """, "/r");
        h.Report(task, TaskState.Running, healthy: true);
        h.Core.OnProbeResult(Assert.Single(h.Core.DueProbes()), new ProbeOutcome(true, 200, null, null));

        var again = new SchedulerHarness(h.Store, h.Master);
        Assert.True(again.Core.Read(v => v.Apps["/r"].Tasks[task].IsHealthy && v.Apps["/r"].Tasks[task].IsReady));
    }

    private static (SchedulerHarness Harness, string Task) Running(string json, string appId = "/hc")
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App(json)).IsSuccess);
        h.Offer();
        var task = Assert.Single(h.LiveTasks(appId));
        h.Report(task, TaskState.Running);
        return (h, task);
    }

    private static bool IsHealthy(SchedulerHarness h, string task) => h.Core.Read(v => v.Apps.Values.Single(a => a.Tasks.ContainsKey(task)).Tasks[task].IsHealthy);
}
