using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// The scheduler's own probes, as Marathon's HealthCheckActor and ReadinessBehaviour: Marathon-level health checks
/// of running tasks every <c>intervalSeconds</c>, and readiness checks of running (and healthy) tasks until ready.
/// The host runs the probes outside the lock; results come back through <see cref="OnProbeResult"/>.
/// </summary>
internal sealed partial class SchedulerCore
{
    /// <summary>Probes due now; each is marked in flight until its result arrives.</summary>
    public List<ProbeRequest> DueProbes()
    {
        lock (_gate)
        {
            var now = Now;
            var due = new List<ProbeRequest>();
            foreach (var app in _apps.Values)
            {
                foreach (var task in app.Tasks.Values)
                {
                    if (!task.IsRunning || task.KillRequested || ProbeAddress(app.Definition, task) is not { } address)
                    {
                        continue;
                    }

                    foreach (var check in task.Checks)
                    {
                        if (!check.OnAgent && !check.InFlight && check.NextProbeAt <= now)
                        {
                            check.InFlight = true;
                            due.Add(new ProbeRequest(task.Id, ProbeKind.Health, check.Index, check.Spec.Protocol, address, check.Port,
                                check.Spec.Path, TimeSpan.FromSeconds(check.Spec.TimeoutSeconds)));
                        }
                    }

                    // Marathon checks readiness once the task runs and, with health checks, is healthy.
                    if (task.HasHealthChecks && task.Healthy != true)
                    {
                        continue;
                    }

                    for (int i = 0; i < task.Readiness.Count; i++)
                    {
                        var r = task.Readiness[i];
                        if (!r.Ready && !r.InFlight && r.NextProbeAt <= now)
                        {
                            r.InFlight = true;
                            due.Add(new ProbeRequest(task.Id, ProbeKind.Readiness, i, "HTTP", address, r.Port, r.Spec.Path,
                                TimeSpan.FromSeconds(r.Spec.TimeoutSeconds)));
                        }
                    }
                }
            }

            return due;
        }
    }

    public void OnProbeResult(ProbeRequest request, ProbeOutcome outcome)
    {
        lock (_gate)
        {
            if (!_taskIndex.TryGetValue(request.TaskId, out var app) || !app.Tasks.TryGetValue(request.TaskId, out var task))
            {
                return;
            }

            var now = Now;
            bool changed = request.Kind == ProbeKind.Health
                ? ApplyHealthProbe(app, task, request, outcome, now)
                : ApplyReadinessProbe(task, request, outcome, now);
            if (changed)
            {
                PersistTask(task);
                Evaluate();
            }
        }
    }

    private bool ApplyHealthProbe(AppState app, SchedulerTask task, ProbeRequest request, ProbeOutcome outcome, DateTimeOffset now)
    {
        if (task.Checks.Find(c => c.Index == request.Index && !c.OnAgent) is not { } check)
        {
            return false;
        }

        check.InFlight = false;
        check.NextProbeAt = now + TimeSpan.FromSeconds(check.Spec.IntervalSeconds);
        var (passed, cause) = HealthPassed(check.Spec, outcome);
        var (turned, kill) = check.Record(passed, cause, now, task.StartedAt);
        if (!passed && check.LastFailure == now)
        {
            // A counted failure (not one forgiven by the grace period), as Marathon's HealthCheckActor reports it.
            Publish(MarathonEvent.Create("failed_health_check_event", now, w =>
            {
                w.WriteString("appId", app.Definition.Id);
                w.WriteString("taskId", task.Id);
                w.WriteString("instanceId", task.Id);
                w.WritePropertyName("healthCheck");
                AppJsonWriter.WriteHealthCheck(w, check.Spec);
            }));
        }

        if (turned)
        {
            PublishHealthChanged(app, task, passed);
        }

        if (kill && !task.KillRequested)
        {
            Log.UnhealthyKill(_log, task.Id, check.Index, cause ?? string.Empty);
            PublishUnhealthyKill(app, task, cause ?? "health check failed");
            task.KilledUnhealthy = true;
            RequestKill(task);
        }

        return turned || kill;
    }

    private static bool ApplyReadinessProbe(SchedulerTask task, ProbeRequest request, ProbeOutcome outcome, DateTimeOffset now)
    {
        if (request.Index >= task.Readiness.Count)
        {
            return false;
        }

        var r = task.Readiness[request.Index];
        r.InFlight = false;
        r.NextProbeAt = now + TimeSpan.FromSeconds(r.Spec.IntervalSeconds);
        r.LastStatus = outcome.Status;
        r.LastBody = r.Spec.PreserveLastResponse ? outcome.Body : null;
        r.Ready = outcome.Status is { } status && r.Spec.HttpStatusCodesForReady.Contains(status);
        return r.Ready;
    }

    /// <summary>HTTP passes on 200-399 (and 1xx with <c>ignoreHttp1xx</c>), TCP on a connection.</summary>
    private static (bool Passed, string? Cause) HealthPassed(HealthCheckSpec spec, ProbeOutcome outcome)
    {
        if (!outcome.Connected)
        {
            return (false, outcome.Cause ?? "no connection");
        }

        if (spec.Protocol == "TCP")
        {
            return (true, null);
        }

        return outcome.Status switch
        {
            >= 200 and < 400 => (true, null),
            >= 100 and < 200 when spec.IgnoreHttp1xx => (true, null),
            { } status => (false, $"{spec.Path} answered {status}"),
            null => (false, outcome.Cause ?? "no HTTP answer"),
        };
    }

    /// <summary>
    /// The task's own address on a container network, else its agent's: a bridge container reports its own IP too,
    /// but Marathon probes it on the agent at the mapped host port.
    /// </summary>
    private static string? ProbeAddress(Apps.AppDefinition app, SchedulerTask task) =>
        task.IpAddresses.Count > 0 && (app.UsesContainerNetwork || !app.RunsDocker) ? task.IpAddresses[0] : task.Host;

    private void PublishHealthChanged(AppState app, SchedulerTask task, bool alive) =>
        Publish(MarathonEvent.Create("health_status_changed_event", Now, w =>
        {
            w.WriteString("appId", app.Definition.Id);
            w.WriteString("taskId", task.Id);
            w.WriteString("instanceId", task.Id);
            w.WriteString("version", AppJsonWriter.Timestamp(task.Version));
            w.WriteBoolean("alive", alive);
        }));

    private void PublishUnhealthyKill(AppState app, SchedulerTask task, string reason) =>
        Publish(MarathonEvent.Create("unhealthy_task_kill_event", Now, w =>
        {
            w.WriteString("appId", app.Definition.Id);
            w.WriteString("taskId", task.Id);
            w.WriteString("version", AppJsonWriter.Timestamp(task.Version));
            w.WriteString("reason", reason);
            w.WriteString("host", task.Host);
            w.WriteString("slaveId", task.AgentId);
        }));
}
