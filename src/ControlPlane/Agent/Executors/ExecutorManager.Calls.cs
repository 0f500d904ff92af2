using System.Text.Json;
using System.Threading.Channels;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Api.Operator;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>An answer to an executor call: HTTP status and Mesos's plain-text message (empty on success).</summary>
internal readonly record struct ExecutorCallResult(int Status, string Message)
{
    public static readonly ExecutorCallResult Accepted = new(202, string.Empty);
}

/// <summary>The executor's calls (include/mesos/v1/executor/executor.proto <c>Call</c>), checked as src/common/validation.cpp does.</summary>
internal sealed partial class ExecutorManager
{
    /// <summary>
    /// SUBSCRIBE: opens the run's event stream (a new subscription replaces an older one) with SUBSCRIBED first,
    /// then the LAUNCH events of tasks that waited; <c>unacknowledged_updates</c> are taken like UPDATE calls.
    /// </summary>
    public (ChannelReader<byte[]>? Events, ExecutorCallResult Result) Subscribe(string frameworkId, string executorId, JsonElement subscribe)
    {
        var (run, error) = Find(frameworkId, executorId);
        if (run is null)
        {
            return (null, new ExecutorCallResult(400, error!));
        }

        var channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
        List<AgentTask> dropped = [];
        lock (run.Gate)
        {
            if (run.Phase == ExecutorPhase.Terminated)
            {
                return (null, new ExecutorCallResult(400, "Executor cannot be found"));
            }

            if (run.Recovered)
            {
                run.Recovered = false;
                dropped = UnknownToExecutor(run, UnacknowledgedTaskIds(subscribe));
            }

            run.Events?.Writer.TryComplete();
            run.Events = channel;
            run.Phase = ExecutorPhase.Running;
            channel.Writer.TryWrite(ExecutorEvents.Subscribed(run, runtime.Options.Hostname, runtime.AgentPort));
            foreach (var task in run.Queued)
            {
                channel.Writer.TryWrite(ExecutorEvents.Launch(run, task.Launch));
            }

            run.Queued.Clear();

            // Kills that came while no stream was open (the executor reconnecting after an agent restart) would be
            // lost otherwise; a KILL the executor already had is harmless to repeat.
            foreach (var task in run.Tasks.Values)
            {
                double? grace = null;
                bool kill;
                lock (task.Gate)
                {
                    kill = task.KillRequested;
                    grace = task.KillGraceSeconds;
                }

                if (kill)
                {
                    channel.Writer.TryWrite(ExecutorEvents.Kill(task.TaskId, grace));
                }
            }
        }

        LogSubscribed(logger, executorId, frameworkId);
        foreach (var task in dropped)
        {
            LogTaskUnknownToExecutor(logger, task.TaskId, executorId);
            runtime.FailExecutorTask(task, TaskState.Dropped, TaskStatusReasons.AgentRestarted,
                "The task never reached its executor before the agent restarted");
        }

        if (subscribe.ValueKind == JsonValueKind.Object && subscribe.TryGetProperty("unacknowledged_updates", out var updates) && updates.ValueKind == JsonValueKind.Array)
        {
            foreach (var update in updates.EnumerateArray())
            {
                if (update.TryGetProperty("status", out var status))
                {
                    Update(frameworkId, executorId, status);
                }
            }
        }

        return (channel.Reader, new ExecutorCallResult(200, string.Empty));
    }

    /// <summary>
    /// UPDATE: a task status from the executor, with a 16-byte uuid and SOURCE_EXECUTOR. It is checkpointed and
    /// queued for the master (resent until the master acknowledges it), then ACKNOWLEDGED to the executor; a
    /// repeated uuid is acknowledged again and changes nothing.
    /// </summary>
    public ExecutorCallResult Update(string frameworkId, string executorId, JsonElement status)
    {
        const string Invalid = "Failed to validate Executor::Call: ";
        if (status.ValueKind != JsonValueKind.Object)
        {
            return new(400, Invalid + "Expecting 'update' to be present");
        }

        string? taskId = V1Http.Id(status, "task_id");
        string? stateName = V1Http.String(status, "state");
        string? uuid = V1Http.String(status, "uuid");
        if (taskId is null || stateName is null)
        {
            return new(400, "Failed to convert JSON into Call protobuf: Missing required fields: update.status.task_id, update.status.state");
        }

        if (uuid is null)
        {
            return new(400, Invalid + "Expecting 'uuid' to be present");
        }

        if (!IsUuidBytes(uuid))
        {
            return new(400, Invalid + $"Invalid UUID '{uuid}': it must be 16 bytes, base64 encoded");
        }

        if (V1Http.Id(status, "executor_id") is { } statusExecutor && statusExecutor != executorId)
        {
            return new(400, Invalid + $"ExecutorID in Call: {executorId} does not match ExecutorID in TaskStatus: {statusExecutor}");
        }

        if (V1Http.String(status, "source") != "SOURCE_EXECUTOR")
        {
            return new(400, Invalid + $"Received Call from executor {executorId} of framework {frameworkId} with invalid source, expecting 'SOURCE_EXECUTOR'");
        }

        if (!TaskStates.TryParseMesosName(stateName, out var state))
        {
            return new(400, $"Failed to convert JSON into Call protobuf: unknown task state '{stateName}'");
        }

        if (state == TaskState.Staging)
        {
            return new(400, Invalid + $"Received TASK_STAGING from executor {executorId} of framework {frameworkId} which is not allowed");
        }

        var (run, error) = Find(frameworkId, executorId);
        if (run is null)
        {
            return new(400, error!);
        }

        AgentTask? task;
        lock (run.Gate)
        {
            if (run.Phase == ExecutorPhase.Registering)
            {
                return new(403, "Executor is not subscribed");
            }

            if (!run.SeenUuids.Add(uuid))
            {
                run.Send(ExecutorEvents.Acknowledged(taskId, uuid));
                return ExecutorCallResult.Accepted;
            }

            task = run.Tasks.GetValueOrDefault(taskId);
            if (task is not null && state.IsTerminal())
            {
                run.Tasks.Remove(taskId);
            }
        }

        if (task is null)
        {
            return new(400, $"Task '{taskId}' is not a live task of executor '{executorId}' of framework '{frameworkId}'");
        }

        double timestamp = status.TryGetProperty("timestamp", out var t) && t.TryGetDouble(out double ts) ? ts : runtime.NowSeconds();
        runtime.RecordExecutorStatus(task, new TaskStatusUpdate
        {
            // Minuet's updates carry uuids as GUID text; the same 16 bytes go back to the framework as Mesos's base64,
            // so the framework acknowledges exactly the uuid the executor chose.
            Uuid = Api.V1.V1Statuses.FromV1Uuid(uuid)!,
            TaskId = taskId,
            FrameworkId = frameworkId,
            AgentId = run.AgentId,
            State = stateName,
            Reason = V1Http.String(status, "reason"),
            Message = V1Http.String(status, "message"),
            Source = "SOURCE_EXECUTOR",
            Healthy = status.TryGetProperty("healthy", out var h) && h.ValueKind is JsonValueKind.True or JsonValueKind.False ? h.GetBoolean() : null,
            Timestamp = timestamp,
            ContainerStatus = runtime.ExecutorContainerStatus(run),
        });

        lock (run.Gate)
        {
            // Mesos acknowledges to the executor once the agent holds the update, not when the scheduler does.
            run.Send(ExecutorEvents.Acknowledged(taskId, uuid));
        }

        return ExecutorCallResult.Accepted;
    }

    /// <summary>
    /// MESSAGE: accepted (202) and relayed to the master, which sends the framework a MESSAGE event; delivery is best
    /// effort (one attempt, a failure is logged), as in Mesos.
    /// </summary>
    public ExecutorCallResult Message(string frameworkId, string executorId, JsonElement message)
    {
        string? data = V1Http.String(message, "data");
        if (data is null)
        {
            return new(400, "Failed to validate Executor::Call: Expecting 'message' to be present");
        }

        var (run, error) = Find(frameworkId, executorId);
        if (run is null)
        {
            return new(400, error!);
        }

        lock (run.Gate)
        {
            if (run.Phase == ExecutorPhase.Registering)
            {
                return new(403, "Executor is not subscribed");
            }
        }

        if (!IsBase64(data))
        {
            return new(400, $"Failed to convert JSON into Call protobuf: 'message.data' must be base64 (protobuf bytes)");
        }

        var relayed = new FrameworkMessage { FrameworkId = frameworkId, ExecutorId = executorId, Data = data };
        runtime.RunInBackground(async () =>
        {
            if (runtime.MessageSink is not { } sink || !await sink.SendMessageAsync(relayed, runtime.Stopping).ConfigureAwait(false))
            {
                LogMessageDropped(logger, executorId, frameworkId, data.Length);
            }
        });
        return ExecutorCallResult.Accepted;
    }

    /// <summary>A framework's message for one of this agent's executors: a MESSAGE event if it is subscribed, else dropped (Mesos's <c>Slave::schedulerMessage</c>).</summary>
    public void Deliver(FrameworkMessage message)
    {
        var (run, error) = Find(message.FrameworkId, message.ExecutorId);
        string? why = error;
        if (run is not null)
        {
            lock (run.Gate)
            {
                why = run.Phase != ExecutorPhase.Running ? "the executor is not subscribed"
                    : run.Send(ExecutorEvents.Message(message.Data)) ? null : "the executor has no open stream";
            }
        }

        if (why is not null)
        {
            LogFrameworkMessageDropped(logger, message.FrameworkId, message.ExecutorId, why);
        }
    }

    /// <summary>Whether an executor call names a known executor that has subscribed (for calls other than SUBSCRIBE).</summary>
    public ExecutorCallResult Check(string frameworkId, string executorId)
    {
        var (run, error) = Find(frameworkId, executorId);
        if (run is null)
        {
            return new(400, error!);
        }

        lock (run.Gate)
        {
            return run.Phase == ExecutorPhase.Registering ? new(403, "Executor is not subscribed") : ExecutorCallResult.Accepted;
        }
    }

    private static HashSet<string> UnacknowledgedTaskIds(System.Text.Json.JsonElement subscribe)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (subscribe.ValueKind == JsonValueKind.Object && subscribe.TryGetProperty("unacknowledged_tasks", out var tasks) && tasks.ValueKind == JsonValueKind.Array)
        {
            foreach (var task in tasks.EnumerateArray())
            {
                if (V1Http.Id(task, "task_id") is { } id)
                {
                    ids.Add(id);
                }
            }
        }

        return ids;
    }

    private static bool IsBase64(string text)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(text.Length);
        try
        {
            return Convert.TryFromBase64String(text, buffer, out _);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsUuidBytes(string uuid)
    {
        Span<byte> bytes = stackalloc byte[18];
        return Convert.TryFromBase64String(uuid, bytes, out int written) && written == 16;
    }
}
