namespace Minuet.ControlPlane.Master;

/// <summary>A registered framework: identity, its tasks and offers, its connection and undelivered updates.</summary>
internal sealed class FrameworkEntry
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    public string Role { get; set; } = "*";

    public string? Principal { get; set; }

    public string User { get; set; } = "root";

    public string? Hostname { get; set; }

    public string? WebuiUrl { get; set; }

    public double FailoverTimeoutSeconds { get; set; }

    public bool Checkpoint { get; set; } = true;

    public DateTimeOffset RegisteredTime { get; set; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    /// <summary>Connected frameworks get offers; a disconnected one keeps its tasks until it returns or is torn down.</summary>
    public bool Connected => Connection is { IsClosed: false };

    public FrameworkConnection? Connection { get; set; }

    /// <summary>When its last subscription ended (the failover timeout counts from here); null if none ended in this run.</summary>
    public DateTimeOffset? DisconnectedAt { get; set; }

    public bool Suppressed { get; set; }

    /// <summary>Live and unreachable tasks by id.</summary>
    public Dictionary<string, TaskEntry> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Terminal tasks, oldest first, bounded by <see cref="MasterOptions.MaxCompletedTasksPerFramework"/>.</summary>
    public LinkedList<TaskEntry> CompletedTasks { get; } = new();

    public Dictionary<string, OfferEntry> Offers { get; } = new(StringComparer.Ordinal);

    /// <summary>Per task, status updates not yet acknowledged; only the head is outstanding (Mesos's status update stream).</summary>
    public Dictionary<string, Queue<PendingUpdate>> PendingUpdates { get; } = new(StringComparer.Ordinal);
}

/// <summary>An update waiting for the framework's acknowledgement, and when it was last sent.</summary>
internal sealed class PendingUpdate(SchedulerStatus status)
{
    public SchedulerStatus Status { get; } = status;

    public DateTimeOffset? LastSent { get; set; }
}
