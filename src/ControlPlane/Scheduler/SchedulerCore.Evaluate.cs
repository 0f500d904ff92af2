using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Http;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// The control loop: for every app, compare tasks with the definition and decide kills (scale-down, rolling
/// replacement, deletion) and how many launches the next offers should carry; then move deployments along.
/// Runs after every change, update and offer batch, and on the periodic tick.
/// </summary>
internal sealed partial class SchedulerCore
{
    /// <summary>The periodic tick: re-evaluates (backoff expiry, deployments waiting on health).</summary>
    public void Tick()
    {
        lock (_gate)
        {
            TryResync();
            RetryKills();
            Evaluate();
        }
    }

    /// <summary>Launches the next offers should carry for an app (for tests and <c>/v2/queue</c>-like views).</summary>
    public int Wanted(string appId)
    {
        lock (_gate)
        {
            return _wanted.GetValueOrDefault(appId);
        }
    }

    /// <summary>
    /// DELETE /v2/queue/{id}/delay: forgets the app's failures so its next launch is not held back (Marathon's
    /// <c>resetDelay</c>). False when no such app exists.
    /// </summary>
    public bool ResetDelay(string appId)
    {
        lock (_gate)
        {
            if (!_apps.TryGetValue(appId, out var app) || app.Deleted)
            {
                return false;
            }

            app.Failures = 0;
            app.NextLaunchAt = default;
            Send(new MasterLink.ReviveCommand());
            Evaluate();
            return true;
        }
    }

    /// <summary>Launches wanted, for callers already inside <see cref="Read{T}"/> (the lock is held).</summary>
    internal int WantedUnlocked(string appId) => _wanted.GetValueOrDefault(appId);

    private void Evaluate()
    {
        _wanted.Clear();
        foreach (var app in _apps.Values.ToList())
        {
            EvaluateApp(app);
        }

        AdvanceDeployments();
    }

    private void EvaluateApp(AppState app)
    {
        var def = app.Definition;
        KillOverdue(app);
        var live = app.Live.Where(t => !t.KillRequested).ToList();
        if (app.Deleted)
        {
            foreach (var task in live)
            {
                RequestKill(task);
            }

            if (!app.Tasks.Values.Any(t => t.IsLive))
            {
                Forget(app);
            }

            return;
        }

        if (IsGated(def.Id))
        {
            return;
        }

        int killing = app.Live.Count(t => t.KillRequested);
        var old = live.Where(t => t.Version != def.ConfigVersion).ToList();
        var fresh = live.Where(t => t.Version == def.ConfigVersion).ToList();
        if (old.Count > 0)
        {
            var step = RollingPlanner.Next(def.Instances, def.UpgradeStrategy, old.Count, old.Count(t => t.IsHealthy), fresh.Count, fresh.Count(t => t.IsHealthy && t.IsReady), killing);
            foreach (var task in KillChooser.Choose(old, step.Kill, KillSelection.OldestFirst))
            {
                RequestKill(task);
            }

            _wanted[def.Id] = step.Launch;
            return;
        }

        int missing = def.Instances - fresh.Count;
        if (missing < 0)
        {
            foreach (var task in KillChooser.Choose(fresh, -missing, def.KillSelection))
            {
                RequestKill(task);
            }
        }

        _wanted[def.Id] = Math.Max(0, missing);
    }

    /// <summary>An app waits while a deployment still works on an earlier step (its dependencies).</summary>
    private bool IsGated(string appId)
    {
        foreach (var plan in _deployments.Values)
        {
            int step = plan.StepOf(appId);
            if (step > plan.CurrentStep)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An app has reached its definition: no old or extra tasks, every instance of the current version healthy and,
    /// with readiness checks, ready (Marathon's deployments wait for readiness after health).
    /// </summary>
    private bool Converged(string appId)
    {
        if (!_apps.TryGetValue(appId, out var app) || app.Deleted)
        {
            return app is null || !app.Tasks.Values.Any(t => t.IsLive);
        }

        var live = app.Live.ToList();
        return live.Count == app.Definition.Instances &&
            live.All(t => t.Version == app.Definition.ConfigVersion && t.IsHealthy && t.IsReady && !t.KillRequested);
    }

    private void AdvanceDeployments()
    {
        foreach (var plan in _deployments.Values.OrderBy(d => d.Version).ToList())
        {
            bool moved = false;
            while (plan.CurrentStep < plan.Steps.Count && plan.Steps[plan.CurrentStep].All(a => Converged(a.App)))
            {
                plan.CurrentStep++;
                moved = true;
            }

            if (plan.CurrentStep >= plan.Steps.Count)
            {
                EndDeployment(plan, success: true);
            }
            else if (moved)
            {
                _store.PutDeployment(plan);
                Publish(MarathonEvent.Create("deployment_step_success", Now, w =>
                {
                    w.WritePropertyName("plan");
                    MarathonJson.WritePlan(w, plan);
                    w.WritePropertyName("currentStep");
                    MarathonJson.WriteStep(w, plan.Steps[plan.CurrentStep - 1]);
                }));

                // The next step's apps may launch now.
                Send(new MasterLink.ReviveCommand());
                foreach (var action in plan.Steps[plan.CurrentStep])
                {
                    if (_apps.TryGetValue(action.App, out var app))
                    {
                        EvaluateApp(app);
                    }
                }
            }
        }
    }

    /// <summary>Marathon's task_launch_timeout: a task still not RUNNING that long after its launch is killed (and replaced).</summary>
    private void KillOverdue(AppState app)
    {
        var timeout = _options.TaskLaunchTimeout;
        foreach (var task in app.Live.Where(t => t.StartedAt is null && !t.KillRequested && Now - t.StagedAt >= timeout).ToList())
        {
            task.KilledOverdue = $"{task.State.ToMesosName()} for more than task_launch_timeout ({timeout.TotalSeconds:0} s) without reaching TASK_RUNNING";
            Log.TaskOverdue(_log, task.Id, task.State.ToMesosName(), timeout.TotalSeconds);
            RequestKill(task);
        }
    }

    /// <summary>Sends again every kill that no terminal update has confirmed within <see cref="SchedulerOptions.KillRetry"/>.</summary>
    private void RetryKills()
    {
        var now = Now;
        foreach (var task in _apps.Values.SelectMany(a => a.Tasks.Values))
        {
            if (task.KillRequested && !task.State.IsTerminal() && (task.KillRequestedAt is not { } at || now - at >= _options.KillRetry))
            {
                task.KillRequestedAt = now;
                Send(new MasterLink.KillCommand(new KillRequest { TaskId = task.Id }));
            }
        }
    }

    private void RequestKill(SchedulerTask task)
    {
        if (task.KillRequested)
        {
            return;
        }

        task.KillRequested = true;
        task.KillRequestedAt = Now;
        PersistTask(task);
        Send(new MasterLink.KillCommand(new KillRequest { TaskId = task.Id }));
    }

    private void Forget(AppState app)
    {
        foreach (var id in app.Tasks.Keys)
        {
            _taskIndex.Remove(id);
            _store.RemoveTask(id);
        }

        _apps.Remove(app.Definition.Id);
        _store.RemoveApp(app.Definition.Id);
        _store.RemoveAppVersions(app.Definition.Id);
        Publish(MarathonEvent.Create("app_terminated_event", Now, w => w.WriteString("appId", app.Definition.Id)));
    }
}
