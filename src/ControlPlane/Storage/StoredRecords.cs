using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Storage;

/// <summary>A registered agent as persisted (what it declared; dynamic reservations are stored separately).</summary>
internal sealed record StoredAgent
{
    public required string Id { get; init; }

    public required string Hostname { get; init; }

    public required string Address { get; init; }

    public int Port { get; init; }

    public required ResourceSet Resources { get; init; }

    public IReadOnlyDictionary<string, ResourceSet> ReservedResources { get; init; } = new Dictionary<string, ResourceSet>();

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    public string Version { get; init; } = "0.1.0";

    /// <summary>Seconds since the epoch.</summary>
    public double RegisteredTime { get; init; }
}

/// <summary>A registered framework as persisted.</summary>
internal sealed record StoredFramework
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string Role { get; init; } = "*";

    public string? Principal { get; init; }

    public string User { get; init; } = "root";

    public string? Hostname { get; init; }

    public string? WebuiUrl { get; init; }

    public double FailoverTimeout { get; init; }

    public bool Checkpoint { get; init; } = true;

    public double RegisteredTime { get; init; }
}

/// <summary>A task as persisted: the launch, its state, the status history and which part of it is reserved.</summary>
internal sealed record StoredTask
{
    public required LaunchTaskRequest Launch { get; init; }

    public required string State { get; init; }

    public IReadOnlyList<TaskStatusUpdate> Statuses { get; init; } = [];

    /// <summary>The part of the task's resources that came from its role's reservation.</summary>
    public ResourceSet? ReservedPart { get; init; }
}

/// <summary>A dynamic reservation: resources on one agent reserved to one role.</summary>
internal sealed record StoredReservation(string AgentId, string Role, ResourceSet Resources);

/// <summary>Everything <see cref="IMasterStore.Load"/> returns.</summary>
internal sealed record MasterStoreSnapshot
{
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<StoredAgent> Agents { get; init; } = [];

    public IReadOnlyList<StoredFramework> Frameworks { get; init; } = [];

    public IReadOnlyList<StoredTask> Tasks { get; init; } = [];

    public IReadOnlyList<StoredReservation> Reservations { get; init; } = [];
}
