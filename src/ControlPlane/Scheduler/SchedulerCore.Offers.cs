using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Launching;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Offers: pack the launches apps want into each offer (resources, ports, roles, constraints), accept or decline.</summary>
internal sealed partial class SchedulerCore
{
    public void HandleOffers(IReadOnlyList<OfferInfo> offers)
    {
        lock (_gate)
        {
            Evaluate();
            var now = Now;
            foreach (var offer in offers)
            {
                var capacity = new OfferCapacity(offer);
                var tasks = new List<TaskSpec>();
                bool waiting = false;
                foreach (var app in LaunchOrder())
                {
                    int wanted = _wanted.GetValueOrDefault(app.Definition.Id);
                    if (wanted <= 0)
                    {
                        continue;
                    }

                    if (app.NextLaunchAt > now)
                    {
                        waiting = true;
                        continue;
                    }

                    while (wanted > 0)
                    {
                        // Only constraints look at where the app's other tasks are; skip building the list otherwise.
                        var placed = app.Definition.Constraints.Count == 0 ? [] : app.Live.Select(t => new PlacementTarget(t.Host, t.Attributes)).ToList();
                        var (ports, _) = capacity.TryTake(app.Definition, placed);
                        if (ports is null)
                        {
                            waiting = true;
                            break;
                        }

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

    /// <summary>
    /// The master refused an accept (offer rescinded meanwhile, or invalid): the tasks never started. They end as
    /// TASK_ERROR without counting as app failures when the offer was simply gone.
    /// </summary>
    public void OnAcceptFailed(AcceptRequest request, MasterError error)
    {
        lock (_gate)
        {
            bool offerGone = error.Details?.All(d => d.Path.StartsWith("/offer_ids", StringComparison.Ordinal)) == true;
            foreach (var spec in request.Tasks)
            {
                if (spec.TaskId is { } id && _taskIndex.TryGetValue(id, out var app) && app.Tasks.TryGetValue(id, out var task))
                {
                    task.KillRequested = offerGone;
                    ApplyStatus(app, task, new SchedulerStatus
                    {
                        TaskId = id,
                        FrameworkId = FrameworkId ?? string.Empty,
                        State = TaskState.Error.ToMesosName(),
                        Message = error.Message,
                        Timestamp = Now.ToUnixTimeMilliseconds() / 1000.0,
                    });
                }
            }

            Evaluate();
        }
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

    /// <summary>Apps in deployment order (earlier deployments and steps first), then by id.</summary>
    private IEnumerable<Apps.AppState> LaunchOrder() =>
        _apps.Values.Where(a => !a.Deleted).OrderBy(a => a.Definition.Version).ThenBy(a => a.Definition.Id, StringComparer.Ordinal);
}
