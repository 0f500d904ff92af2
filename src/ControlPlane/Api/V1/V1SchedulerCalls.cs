using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// Every call but SUBSCRIBE: the framework must be known (400), connected (403) and name its current stream
/// (400), then the call goes to <see cref="MasterCore"/> and is answered 202 as Mesos does, with refusals Mesos
/// reports as task updates (invalid offers, invalid tasks, kills of unknown tasks) sent as updates.
/// </summary>
internal sealed class V1SchedulerCalls(MasterCore master, V1Streams streams)
{
    public (int Status, string Text) Handle(V1Call call, string streamId)
    {
        string frameworkId = call.FrameworkId!.Value!;
        var connected = master.Read(m => m.Frameworks.TryGetValue(frameworkId, out var f) ? f.Connected : (bool?)null);
        if (connected is null)
        {
            return (400, "Framework cannot be found");
        }

        if (connected == false)
        {
            return (403, "Framework is not subscribed");
        }

        var stream = streams.Get(frameworkId);
        if (string.IsNullOrEmpty(streamId))
        {
            return (400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }

        if (stream is null || stream.StreamId != streamId)
        {
            return (400, $"The stream ID '{streamId}' included in this request didn't match the stream ID currently associated with framework ID {frameworkId}");
        }

        var error = call.Type switch
        {
            "TEARDOWN" => master.Teardown(frameworkId),
            "ACCEPT" => Accept(frameworkId, call.Accept!, stream),
            "DECLINE" => master.Decline(frameworkId, new DeclineRequest { OfferIds = Ids(call.Decline!.OfferIds), Filters = Filters(call.Decline.Filters) }),
            "REVIVE" => master.Revive(frameworkId),
            "SUPPRESS" => master.Suppress(frameworkId),
            "KILL" => Kill(frameworkId, call.Kill!),
            "SHUTDOWN" => Shutdown(frameworkId, call.Shutdown!),
            "ACKNOWLEDGE" => Acknowledge(frameworkId, call.Acknowledge!),
            "RECONCILE" => master.Reconcile(frameworkId, new ReconcileRequest
            {
                Tasks = (call.Reconcile!.Tasks ?? []).Select(t => new ReconcileTask(t.TaskId!.Value!, t.AgentId?.Value)).ToList(),
            }),

            "MESSAGE" => Message(frameworkId, call.Message!),
            "REQUEST" or "ACCEPT_INVERSE_OFFERS" or "DECLINE_INVERSE_OFFERS" or "ACKNOWLEDGE_OPERATION_STATUS" => null,
            _ => new MasterError(501, "not_implemented", $"{call.Type} is not implemented by this master"),
        };
        return error switch
        {
            null => (202, string.Empty),
            { Status: 503 or 501 } => (error.Status, error.Message),
            _ => (400, "Failed to validate scheduler::Call: " + error.Message),
        };
    }

    private MasterError? Accept(string frameworkId, V1Accept accept, V1Stream stream)
    {
        var offerIds = Ids(accept.OfferIds);
        var operations = accept.Operations ?? [];
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i]?.Type is not ("LAUNCH" or "LAUNCH_GROUP" or "RESERVE" or "UNRESERVE"))
            {
                // Give the offers back at once so a refused accept does not hold them until the offer timeout.
                master.Decline(frameworkId, new DeclineRequest { OfferIds = offerIds, Filters = new OfferFilters(0) });
                return MasterError.Field($"/accept/operations/{i}/type",
                    $"operation '{operations[i]?.Type}' is not supported by this master (LAUNCH, LAUNCH_GROUP, RESERVE and UNRESERVE are)");
            }
        }

        string agentId = master.Read(m => m.Frameworks.TryGetValue(frameworkId, out var f)
            ? offerIds.Select(id => f.Offers.GetValueOrDefault(id)?.AgentId).FirstOrDefault(a => a is not null)
            : null) ?? string.Empty;
        var tasks = new List<TaskSpec>();
        foreach (var info in operations.Where(o => o.Type == "LAUNCH").SelectMany(o => o.Launch?.TaskInfos ?? []))
        {
            if (info?.TaskId?.Value is not { Length: > 0 } taskId)
            {
                return MasterError.Field("/accept/operations/launch/task_infos/task_id", "is required");
            }

            var errors = new FieldErrorList();
            if (V1Tasks.ToSpec(info, agentId, errors) is { } spec)
            {
                tasks.Add(spec);
            }
            else
            {
                Update(frameworkId, taskId, agentId, "TASK_ERROR", TaskStatusReasons.TaskInvalid,
                    "invalid task: " + string.Join("; ", errors.ToList().Select(e => $"{e.Path} {string.Join(", ", e.Errors)}")));
            }
        }

        foreach (var group in operations.Where(o => o.Type == "LAUNCH_GROUP").Select(o => o.LaunchGroup))
        {
            var infos = group?.TaskGroup?.Tasks ?? [];
            if (infos.Any(t => t?.TaskId?.Value is not { Length: > 0 }))
            {
                return MasterError.Field("/accept/operations/launch_group/task_group/tasks/task_id", "is required");
            }

            // Mesos validates a group as a whole: one invalid task makes every task of the group TASK_ERROR.
            var problems = new List<string>();
            string? executorId = group?.Executor?.ExecutorId?.Value;
            if (executorId is not { Length: > 0 })
            {
                problems.Add("/executor/executor_id is required");
            }
            else if (group!.Executor!.Type is not (null or "DEFAULT"))
            {
                problems.Add($"/executor/type '{group.Executor.Type}' cannot run a task group here (only the DEFAULT executor does)");
            }

            if (infos.Count == 0)
            {
                problems.Add("/task_group/tasks must not be empty");
            }

            var groupSpecs = new List<TaskSpec>();
            foreach (var info in infos)
            {
                if (info.Executor is not null)
                {
                    problems.Add($"task '{info.TaskId!.Value}': a task in a group must not have an executor (the group's runs it)");
                    continue;
                }

                var errors = new FieldErrorList();
                if (V1Tasks.ToSpec(info, agentId, errors) is { } spec)
                {
                    groupSpecs.Add(spec with { TaskGroupExecutorId = executorId });
                }
                else
                {
                    problems.AddRange(errors.ToList().Select(e => $"task '{info.TaskId!.Value}': {e.Path} {string.Join(", ", e.Errors)}"));
                }
            }

            if (problems.Count > 0)
            {
                foreach (var info in infos)
                {
                    Update(frameworkId, info.TaskId!.Value!, agentId, "TASK_ERROR", "REASON_TASK_GROUP_INVALID", "invalid task group: " + string.Join("; ", problems));
                }

                continue;
            }

            tasks.AddRange(groupSpecs);
        }

        var result = master.Accept(frameworkId, new AcceptRequest { OfferIds = offerIds, Tasks = tasks, Filters = Filters(accept.Filters) });
        if (result is { Status: 422 } refused)
        {
            // Mesos takes the call and answers each task: dropped for invalid offers, an error for a bad task id.
            bool offers = refused.Details?.Any(d => d.Path.StartsWith("/offer_ids", StringComparison.Ordinal)) == true;
            foreach (var task in tasks)
            {
                Update(frameworkId, task.TaskId!, agentId, offers ? (stream.PartitionAware ? "TASK_DROPPED" : "TASK_LOST") : "TASK_ERROR",
                    offers ? "REASON_INVALID_OFFERS" : TaskStatusReasons.TaskInvalid, refused.Message);
            }

            return null;
        }

        if (result is not null)
        {
            return result;
        }

        foreach (var operation in operations.Where(o => o.Type is "RESERVE" or "UNRESERVE"))
        {
            var resources = (operation.Type == "RESERVE" ? operation.Reserve : operation.Unreserve)?.Resources ?? [];
            foreach (var byRole in resources.GroupBy(V1Resources.RoleOf))
            {
                var errors = new FieldErrorList();
                var set = V1Resources.Parse(byRole.ToList(), "/resources", errors);
                var request = new ReservationRequest { AgentId = agentId, Role = byRole.Key, Resources = set };

                // Mesos applies what it can and reports nothing for a failed reservation without an operation id;
                // the framework sees the outcome in its next offers.
                _ = errors.Any ? null : operation.Type == "RESERVE" ? master.Reserve(request) : master.Unreserve(request);
            }
        }

        return null;
    }

    /// <summary>KILL of a task the master does not know is answered by reconciling it (TASK_LOST / TASK_UNKNOWN), as Mesos does.</summary>
    private MasterError? Kill(string frameworkId, V1Kill kill)
    {
        string taskId = kill.TaskId!.Value!;
        var error = master.Kill(frameworkId, new KillRequest
        {
            TaskId = taskId,
            GracePeriodSeconds = kill.KillPolicy?.GracePeriod is { } grace ? grace.Nanoseconds / 1e9 : null,
        });
        return error is { Code: ProtocolErrorCodes.UnknownTask }
            ? master.Reconcile(frameworkId, new ReconcileRequest { Tasks = [new ReconcileTask(taskId, kill.AgentId?.Value)] })
            : error;
    }

    /// <summary>SHUTDOWN of an executor: its tasks on that agent are killed (which ends the executor).</summary>
    private MasterError? Shutdown(string frameworkId, V1Shutdown shutdown)
    {
        var taskIds = master.Read(m => m.Frameworks.TryGetValue(frameworkId, out var f)
            ? f.Tasks.Values.Where(t => t.AgentId == shutdown.AgentId!.Value && t.Launch.Executor?.ExecutorId == shutdown.ExecutorId!.Value).Select(t => t.Id).ToList()
            : []);
        foreach (var taskId in taskIds)
        {
            master.Kill(frameworkId, new KillRequest { TaskId = taskId });
        }

        return null;
    }

    /// <summary>MESSAGE: relayed to the executor's agent; 202 even when it cannot be delivered (Mesos drops it with a log line).</summary>
    private MasterError? Message(string frameworkId, V1Message message)
    {
        master.MessageToExecutor(frameworkId, message.AgentId!.Value!, message.ExecutorId!.Value!, message.Data!);
        return null;
    }

    /// <summary>An acknowledgement of an update the master no longer holds is taken quietly, as Mesos does.</summary>
    private MasterError? Acknowledge(string frameworkId, V1Acknowledge ack)
    {
        var error = master.Acknowledge(frameworkId, new AcknowledgeRequest
        {
            TaskId = ack.TaskId!.Value,
            AgentId = ack.AgentId!.Value,
            Uuid = V1Statuses.FromV1Uuid(ack.Uuid),
        });
        return error is { Status: 404 } ? null : error;
    }

    /// <summary>An update the master makes itself: no uuid, so nothing to acknowledge (Mesos does the same).</summary>
    private void Update(string frameworkId, string taskId, string agentId, string state, string reason, string message) =>
        master.SendToFramework(frameworkId, new SchedulerEvent
        {
            Type = "UPDATE",
            Update = new SchedulerStatus
            {
                TaskId = taskId,
                FrameworkId = frameworkId,
                AgentId = agentId.Length == 0 ? null : agentId,
                State = state,
                Reason = reason,
                Message = message,
                Source = "SOURCE_MASTER",
                Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
            },
        });

    private static List<string> Ids(IReadOnlyList<V1Id>? ids) => (ids ?? []).Select(i => i?.Value ?? string.Empty).ToList();

    private static OfferFilters? Filters(V1Filters? filters) => filters is null ? null : new OfferFilters(filters.RefuseSeconds);
}
