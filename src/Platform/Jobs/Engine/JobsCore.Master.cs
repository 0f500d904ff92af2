using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>
/// The master's side: subscription, reconciliation, offers and status updates. Nothing is launched until every task
/// the store says may run has been answered for by the master, so a restart or failover never starts a run twice.
/// </summary>
internal sealed partial class JobsCore
{
    private static readonly TimeSpan NotReadyRefuse = TimeSpan.FromSeconds(1);

    public void OnSubscribed(string frameworkId)
    {
        lock (_gate)
        {
            FrameworkId = frameworkId;
            _subscribed = true;

            // Every (re)subscription, e.g. after a master failover, asks about every task that may run before any
            // launch: a new leading master may know less than the one we launched through.
            foreach (var run in _runs.Values)
            {
                if (run.Current is { Launched: true } task && !IsTerminal(task.Status))
                {
                    _reconciling.Add(task.Id);
                }
            }

            if (_reconciling.Count > 0)
            {
                SendReconcile(Now);
            }

            _reviveWanted = true;
            Flush();
        }
    }

    /// <summary>True while subscribed with the master (a new HA leader is not until its subscription is answered).</summary>
    public bool Subscribed
    {
        get
        {
            lock (_gate)
            {
                return _subscribed;
            }
        }
    }

    public void OnDisconnected()
    {
        lock (_gate)
        {
            _subscribed = false;
        }
    }

    private void SendReconcile(DateTimeOffset now)
    {
        _reconcileSentAt = now;
        var tasks = _reconciling.Select(id => new ReconcileTask(id, _runsByTask.TryGetValue(id, out var run) ? run.Tasks.FirstOrDefault(t => t.Id == id)?.AgentId : null)).ToList();
        Send(new ReconcileCommand(new ReconcileRequest { Tasks = tasks }));
    }

    public void HandleOffers(IReadOnlyList<OfferInfo> offers)
    {
        lock (_gate)
        {
            var now = Now;
            EnforceDeadlines(now);
            foreach (var offer in offers)
            {
                if (_reconciling.Count > 0 || _waiting.Count == 0)
                {
                    var refuse = _reconciling.Count > 0 ? NotReadyRefuse : Options.IdleDeclineRefuse;
                    Send(new DeclineCommand(new DeclineRequest { OfferIds = [offer.Id], Filters = new OfferFilters(refuse.TotalSeconds) }));
                    continue;
                }

                double cpus = offer.Resources.Cpus, mem = offer.Resources.Mem, disk = offer.Resources.Disk;
                var tasks = new List<TaskSpec>();
                foreach (var run in _waiting.ToList())
                {
                    if (!_jobs.TryGetValue(run.JobId, out var entry) || run.Current is not { } task)
                    {
                        continue;
                    }

                    var spec = entry.Spec.Run;
                    if (spec.Cpus > cpus + 1e-9 || spec.Mem > mem + 1e-9 || spec.Disk > disk + 1e-9 || !Placement.Fits(spec.Constraints, offer))
                    {
                        continue;
                    }

                    cpus -= spec.Cpus;
                    mem -= spec.Mem;
                    disk -= spec.Disk;

                    // Marked launched and stored before the accept leaves (Flush orders them): after a crash this task
                    // is reconciled, never launched a second time.
                    task.Launched = true;
                    task.AgentId = offer.AgentId;
                    task.Host = offer.Hostname;
                    task.Status = "TASK_STAGING";
                    run.Status = RunStatus.Starting;
                    _waiting.Remove(run);
                    _dirtyRuns.Add(run.Id);
                    tasks.Add(RunTasks.Build(entry.Spec, run, task));
                    Log.Launched(_log, task.Id, run.Id, offer.Hostname);
                }

                if (tasks.Count > 0)
                {
                    Send(new AcceptCommand(new AcceptRequest { OfferIds = [offer.Id], Tasks = tasks, Filters = new OfferFilters(NotReadyRefuse.TotalSeconds) }));
                }
                else
                {
                    Send(new DeclineCommand(new DeclineRequest { OfferIds = [offer.Id], Filters = new OfferFilters((_waiting.Count > 0 ? NotReadyRefuse : Options.IdleDeclineRefuse).TotalSeconds) }));
                }
            }

            Flush();
        }
    }

    void IFrameworkCore.OnSubscribed(SubscribedEvent subscribed) => OnSubscribed(subscribed.FrameworkId);

    void IFrameworkCore.OnCommandFailed(MasterCommand command, MasterError error)
    {
        if (command is AcceptCommand accept)
        {
            OnAcceptFailed(accept.Request);
        }
    }

    /// <summary>The master refused an accept: whether its tasks started is unknown, so they are reconciled.</summary>
    public void OnAcceptFailed(AcceptRequest request)
    {
        lock (_gate)
        {
            foreach (var spec in request.Tasks)
            {
                if (spec.TaskId is { } id && _runsByTask.ContainsKey(id))
                {
                    _reconciling.Add(id);
                }
            }

            if (_subscribed)
            {
                SendReconcile(Now);
            }

            Flush();
        }
    }

    public void HandleUpdate(SchedulerStatus status)
    {
        lock (_gate)
        {
            ApplyUpdate(status, Now);

            // Acknowledged only once what it changed is stored (Flush releases the ack after the write).
            if (status.Uuid is { } uuid)
            {
                Send(new AcknowledgeCommand(new AcknowledgeRequest { TaskId = status.TaskId, AgentId = status.AgentId, Uuid = uuid }));
            }

            Flush();
        }
    }

    private void ApplyUpdate(SchedulerStatus status, DateTimeOffset now)
    {
        if (!TaskStates.TryParseMesosName(status.State, out var state))
        {
            return;
        }

        bool wasReconciling = _reconciling.Remove(status.TaskId);
        if (wasReconciling && _reconciling.Count == 0)
        {
            Log.Reconciled(_log);
            _reviveWanted = true;
        }

        if (!_runsByTask.TryGetValue(status.TaskId, out var run) || !_jobs.TryGetValue(run.JobId, out var entry))
        {
            // A task of ours with no run (its job was removed): it has no business running.
            if (!state.IsTerminal() && state is not TaskState.Unknown and not TaskState.Unreachable)
            {
                Send(new KillCommand(new KillRequest { TaskId = status.TaskId }));
            }

            return;
        }

        var task = run.Tasks.First(t => t.Id == status.TaskId);
        if (task != run.Current || IsTerminal(task.Status))
        {
            return;
        }

        _dirtyRuns.Add(run.Id);
        task.Message = status.Message ?? task.Message;
        task.AgentId = status.AgentId ?? task.AgentId;
        switch (state)
        {
            case TaskState.Unknown:
                // The master never saw it (we stopped between storing the launch and sending it) or forgot it: it is
                // not running, so it may be launched, once, under a new id.
                task.Status = "TASK_DROPPED";
                task.CompletedAt = now;
                if (run.StopRequested)
                {
                    Finish(entry, run, success: false, run.Reason, now);
                }
                else
                {
                    NextAttempt(run);
                }

                return;
            case TaskState.Staging or TaskState.Starting:
                task.Status = state.ToMesosName();
                run.Status = RunStatus.Starting;
                return;
            case TaskState.Running or TaskState.Killing or TaskState.Unreachable:
                task.Status = state.ToMesosName();
                task.StartedAt ??= now;
                run.StartedAt ??= now;
                run.Status = RunStatus.Active;
                return;
        }

        task.Status = state.ToMesosName();
        task.CompletedAt = now;
        if (state == TaskState.Finished && !run.StopRequested)
        {
            Finish(entry, run, success: true, null, now);
            return;
        }

        var restart = entry.Spec.Run.Restart;
        bool withinDeadline = restart.ActiveDeadlineSeconds is not { } limit || (now - run.CreatedAt).TotalSeconds < limit;
        bool retriesLeft = restart.MaxRetries is not { } max || run.Retries < max;
        if (!run.StopRequested && restart.Policy == RestartPolicy.OnFailure && withinDeadline && retriesLeft)
        {
            run.Retries++;
            NextAttempt(run);
            return;
        }

        Finish(entry, run, success: false, run.Reason ?? $"{task.Status}{(status.Message is { Length: > 0 } m ? ": " + m : string.Empty)}", now);
    }

    private void NextAttempt(JobRun run)
    {
        var next = new RunTask { Id = TaskId(run, run.Tasks.Count + 1) };
        run.Tasks.Add(next);
        run.Status = RunStatus.Initial;
        _runsByTask[next.Id] = run;
        _waiting.Add(run);
        _dirtyRuns.Add(run.Id);
        _reviveWanted = true;
    }
}
