namespace Minuet.Platform.Jobs.Model;

/// <summary>Metronome's run states.</summary>
internal enum RunStatus
{
    /// <summary>Recorded, its task not yet handed to the master.</summary>
    Initial,

    /// <summary>Its task was handed to the master (or is being reconciled).</summary>
    Starting,

    Active,
    Success,
    Failed,
}

/// <summary>
/// One run of a job. Stored (with its task id) before the task is handed to the master, so a restarted service knows
/// every task it may have launched and asks the master about them before launching anything.
/// </summary>
internal sealed class JobRun
{
    public required string Id { get; init; }

    public required string JobId { get; init; }

    public RunStatus Status { get; set; } = RunStatus.Initial;

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The scheduled time this run is for (its creation time for manual and dependency runs).</summary>
    public DateTimeOffset DueAt { get; init; }

    /// <summary>Seconds after <see cref="DueAt"/> the task must have been launched, or the run fails.</summary>
    public int StartingDeadlineSeconds { get; init; }

    /// <summary>What started it: <c>schedule:ID</c>, <c>manual</c>, <c>dependency</c>.</summary>
    public string Trigger { get; init; } = "manual";

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Reason { get; set; }

    /// <summary>Set by a stop (or a REPLACE): the run ends failed whatever its task does.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Attempts relaunched after a failure (ON_FAILURE); a relaunch of a task the master never saw is not one.</summary>
    public int Retries { get; set; }

    public List<RunTask> Tasks { get; init; } = [];

    /// <summary>The current attempt (the last task).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RunTask? Current => Tasks.Count == 0 ? null : Tasks[^1];

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsDone => Status is RunStatus.Success or RunStatus.Failed;
}

/// <summary>One attempt of a run: a Mesos task.</summary>
internal sealed class RunTask
{
    public required string Id { get; init; }

    /// <summary>The Mesos state last reported, or <c>TASK_CREATED</c> before launch.</summary>
    public string Status { get; set; } = "TASK_CREATED";

    /// <summary>True once the accept carrying it may have reached the master (set and stored before sending).</summary>
    public bool Launched { get; set; }

    public string? AgentId { get; set; }

    public string? Host { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? Message { get; set; }
}
