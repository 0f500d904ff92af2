using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Launching;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Offers: pack the launches apps want into each offer (resources, ports, roles, constraints), accept or decline.</summary>
internal sealed partial class SchedulerCore
{
    private long _offersReceived;

    /// <summary>Offers received in this term (<c>/metrics</c>: the failover bench times a new term's first one by it).</summary>
    public long OffersReceived => Interlocked.Read(ref _offersReceived);

    public void HandleOffers(IReadOnlyList<OfferInfo> offers)
    {
        Interlocked.Add(ref _offersReceived, offers.Count);
        lock (_gate)
        {
            Evaluate();
            var now = Now;
            foreach (var offer in offers)
            {
                RecordAgentPorts(offer);
                var capacity = new OfferCapacity(offer);
                var tasks = new List<TaskSpec>();
                bool waiting = false;
                foreach (var app in LaunchOrder())
                {
                    int wanted = _wanted.GetValueOrDefault(app.Definition.Id);
                    if (wanted <= 0)
                    {
                        if (app.OfferStats.Processed > 0)
                        {
                            app.OfferStats = new OfferStats();
                        }

                        continue;
                    }

                    if (app.NextLaunchAt > now)
                    {
                        waiting = true;
                        continue;
                    }

                    var offered = SpreadTargets(app.Definition, offers);
                    bool used = false;
                    while (wanted > 0)
                    {
                        // Only constraints look at where the app's other tasks are; skip building the list otherwise.
                        var placed = app.Definition.Constraints.Count == 0 ? [] : app.Live.Select(t => new PlacementTarget(t.Host, t.Attributes)).ToList();
                        var (ports, reasons) = capacity.TryTake(app.Definition, placed, offered);
                        if (ports is null)
                        {
                            if (!used)
                            {
                                app.OfferStats.RecordUnused(offer, reasons, now);
                            }

                            waiting = true;
                            break;
                        }

                        used = true;

                        var taskId = TaskBuilder.NewTaskId(app.Definition.Id);
                        var spec = TaskBuilder.Build(app.Definition, taskId, ports, offer.Hostname);
                        tasks.Add(spec);
                        var task = new SchedulerTask
                        {
                            Id = taskId,
                            AppId = app.Definition.Id,
                            AgentId = offer.AgentId,
                            Host = offer.Hostname,
                            Attributes = new Dictionary<string, string>(offer.Attributes, StringComparer.Ordinal),
                            Ports = ports.Where(p => p is not null).Select(p => p!.Value).ToList(),
                            ServicePorts = app.Definition.Ports.Select(p => p.ServicePort).ToList(),
                            IpAddresses = [offer.Address],
                            Version = app.Definition.ConfigVersion,
                            StagedAt = now,
                            Checks = TaskChecks.HealthFor(app.Definition, ports),
                            Readiness = TaskChecks.ReadinessFor(app.Definition, ports),
                        };
                        app.Tasks[taskId] = task;
                        _taskIndex[taskId] = app;
                        PersistTask(task);
                        wanted--;
                    }

                    if (used)
                    {
                        app.OfferStats.RecordUsed(now);
                    }

                    _wanted[app.Definition.Id] = wanted;
                }

                if (tasks.Count > 0)
                {
                    Send(new MasterLink.AcceptCommand(new AcceptRequest
                    {
                        OfferIds = [offer.Id],
                        Tasks = tasks,
                        Filters = new OfferFilters(_options.BusyDeclineRefuse.TotalSeconds),
                    }));
                }
                else
                {
                    var refuse = waiting || _wanted.Values.Any(w => w > 0) ? _options.BusyDeclineRefuse : _options.IdleDeclineRefuse;
                    Send(new MasterLink.DeclineCommand(new DeclineRequest { OfferIds = [offer.Id], Filters = new OfferFilters(refuse.TotalSeconds) }));
                }
            }
        }
    }

    void IFrameworkCore.OnCommandFailed(MasterCommand command, MasterError error)
    {
        if (command is AcceptCommand accept)
        {
            OnAcceptFailed(accept.Request, error, accept.Retry);
        }
        else if (command is KillCommand kill && kill.Request.TaskId is { } killed)
        {
            OnKillFailed(killed, error);
        }
    }

    /// <summary>
    /// The master refused an accept, so (as far as we know) none of its tasks started. Only the tasks the refusal
    /// names fail (TASK_ERROR, counted for their app's backoff); the others are resent alone on the same offer, so
    /// one bad app never stops another's launch. When the offer was gone the tasks simply never started (not a
    /// failure). When the master could not answer or refused for its own reasons (unreachable, 503 store failure)
    /// nothing is the apps' fault: the tasks are reconciled, and whatever the master does not know is replaced.
    /// </summary>
    public void OnAcceptFailed(AcceptRequest request, MasterError error, bool retry = false)
    {
        lock (_gate)
        {
            var blamed = BlamedTasks(error);
            bool offerGone = error.Details is { Count: > 0 } details && details.All(d => d.Path.StartsWith("/offer_ids", StringComparison.Ordinal));
            var tasks = request.Tasks ?? [];
            var innocent = new List<TaskSpec>();
            for (int i = 0; i < tasks.Count; i++)
            {
                var spec = tasks[i];
                if (spec.TaskId is not { } id || !_taskIndex.TryGetValue(id, out var app) || !app.Tasks.TryGetValue(id, out var task))
                {
                    continue;
                }

                if (blamed.TryGetValue(i, out var reason))
                {
                    EndUnlaunched(app, task, reason, failure: true);
                }
                else if (blamed.Count > 0)
                {
                    innocent.Add(spec);
                }
                else if (offerGone && !retry)
                {
                    EndUnlaunched(app, task, error.Message, failure: false);
                }
                else
                {
                    // Unknown outcome (the master may have launched it before failing, or a retry raced): ask.
                    Send(new MasterLink.ReconcileCommand(new ReconcileRequest { Tasks = [new ReconcileTask(id, task.AgentId)] }));
                }
            }

            if (innocent.Count > 0)
            {
                Send(new MasterLink.AcceptCommand(request with { Tasks = innocent }, Retry: true));
            }
            else if (!offerGone)
            {
                // Nothing left to launch on it: give the offer back rather than leave its resources held (when the
                // master did use it after all, it refuses the decline and nothing changes).
                Send(new MasterLink.DeclineCommand(new DeclineRequest { OfferIds = request.OfferIds, Filters = new OfferFilters(_options.BusyDeclineRefuse.TotalSeconds) }));
            }

            Evaluate();
        }
    }

    /// <summary>The tasks (by index in the accept) a refusal names, with the reasons given for each.</summary>
    private static Dictionary<int, string> BlamedTasks(MasterError error)
    {
        var blamed = new Dictionary<int, string>();
        foreach (var detail in error.Details ?? [])
        {
            if (!detail.Path.StartsWith("/tasks/", StringComparison.Ordinal))
            {
                continue;
            }

            var rest = detail.Path.AsSpan("/tasks/".Length);
            int slash = rest.IndexOf('/');
            if (int.TryParse(slash < 0 ? rest : rest[..slash], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            {
                var reason = $"{detail.Path}: {string.Join("; ", detail.Errors)}";
                blamed[index] = blamed.TryGetValue(index, out var earlier) ? earlier + "; " + reason : reason;
            }
        }

        return blamed;
    }

    /// <summary>A task that never reached an agent ends as TASK_ERROR; a failure counts toward its app's backoff.</summary>
    private void EndUnlaunched(Apps.AppState app, SchedulerTask task, string message, bool failure)
    {
        task.KillRequested = !failure;
        ApplyStatus(app, task, new SchedulerStatus
        {
            TaskId = task.Id,
            FrameworkId = FrameworkId ?? string.Empty,
            State = TaskState.Error.ToMesosName(),
            Message = message,
            Timestamp = Now.ToUnixTimeMilliseconds() / 1000.0,
        });
    }

    /// <summary>
    /// The master does not know a task we asked to kill (it ended and was forgotten while we were away): it is gone,
    /// so stop counting it instead of waiting for a terminal update that will never come.
    /// </summary>
    public void OnKillFailed(string taskId, MasterError error)
    {
        lock (_gate)
        {
            if (error.Code == ProtocolErrorCodes.UnknownTask && _taskIndex.TryGetValue(taskId, out var app) && app.Tasks.TryGetValue(taskId, out var task))
            {
                ApplyStatus(app, task, new SchedulerStatus
                {
                    TaskId = taskId,
                    FrameworkId = FrameworkId ?? string.Empty,
                    State = TaskState.Gone.ToMesosName(),
                    Message = error.Message,
                    Timestamp = Now.ToUnixTimeMilliseconds() / 1000.0,
                });
                Evaluate();
            }
        }
    }

    /// <summary>
    /// For GROUP_BY without a count: the agents of this batch whose offers could hold one instance at all, so the
    /// spread waits for them and not for an agent too small to ever take one. Null when the app has no such constraint.
    /// </summary>
    private static List<PlacementTarget>? SpreadTargets(Apps.AppDefinition app, IReadOnlyList<OfferInfo> offers) =>
        app.Constraints.Any(c => c.Operator == Apps.ConstraintOperator.GroupBy && c.Value is null)
            ? offers.Where(o => o.Resources.Cpus >= app.Cpus && o.Resources.Mem >= app.Mem && o.Resources.Disk >= app.Disk)
                .Select(o => new PlacementTarget(o.Hostname, o.Attributes)).ToList()
            : null;

    /// <summary>Apps in deployment order (earlier deployments and steps first), then by id.</summary>
    private IEnumerable<Apps.AppState> LaunchOrder() =>
        _apps.Values.Where(a => !a.Deleted).OrderBy(a => a.Definition.Version).ThenBy(a => a.Definition.Id, StringComparer.Ordinal);
}
