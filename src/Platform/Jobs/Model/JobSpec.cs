namespace Minuet.Platform.Jobs.Model;

/// <summary>
/// A job as Metronome defines it: what to run, when (schedules) or after what (dependencies; the two are exclusive,
/// as in Metronome and Chronos). Immutable: an update replaces the whole spec.
/// </summary>
internal sealed record JobSpec
{
    public required string Id { get; init; }

    public string? Description { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required RunSpec Run { get; init; }

    public IReadOnlyList<ScheduleSpec> Schedules { get; init; } = [];

    /// <summary>Parent job ids (Chronos's <c>parents</c>): this job runs once after each time all of them succeeded.</summary>
    public IReadOnlyList<string> Dependencies { get; init; } = [];
}

/// <summary>Metronome's <c>run</c>: the task each run launches.</summary>
internal sealed record RunSpec
{
    public string? Cmd { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public double Cpus { get; init; }

    public double Mem { get; init; }

    public double Disk { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Placement constraints as Marathon's triples: <c>[attribute, IS|LIKE|UNLIKE, value]</c>.</summary>
    public IReadOnlyList<PlacementConstraint> Constraints { get; init; } = [];

    public RestartSpec Restart { get; init; } = new();

    /// <summary>Seconds a run may wait for resources before it fails (Metronome's default: an hour).</summary>
    public int MaxLaunchDelay { get; init; } = 3600;

    public string? DockerImage { get; init; }
}

/// <summary>One placement constraint (<c>attribute</c> is <c>hostname</c> or an agent attribute).</summary>
internal sealed record PlacementConstraint(string Attribute, string Operator, string? Value);

internal enum RestartPolicy
{
    Never,
    OnFailure,
}

/// <summary>
/// What a failed task does: NEVER ends the run as failed; ON_FAILURE launches a new attempt while the run is younger
/// than <see cref="ActiveDeadlineSeconds"/> and (Chronos's <c>retries</c>) fewer than <see cref="MaxRetries"/> retries were made.
/// </summary>
internal sealed record RestartSpec
{
    public RestartPolicy Policy { get; init; } = RestartPolicy.Never;

    public int? ActiveDeadlineSeconds { get; init; }

    public int? MaxRetries { get; init; }
}
