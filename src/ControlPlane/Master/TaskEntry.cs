using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>A task as the master tracks it: the launch it sent, the current state and the status history.</summary>
internal sealed class TaskEntry
{
    private const int MaxRememberedUuids = 64;
    private readonly Queue<string> _uuidOrder = new();
    private readonly HashSet<string> _uuids = new(StringComparer.Ordinal);

    public required LaunchTaskRequest Launch { get; set; }

    public string Id => Launch.TaskId;

    public string FrameworkId => Launch.FrameworkId;

    public string AgentId => Launch.AgentId;

    public string Role => Launch.Role;

    public TaskState State { get; set; } = TaskState.Staging;

    /// <summary>Resources held, split as allocated (reserved to the role first).</summary>
    public AllocatedSlice Slice { get; set; }

    /// <summary>Status history, oldest first; what <c>/master/state</c> prints as <c>statuses</c>.</summary>
    public List<TaskStatusUpdate> Statuses { get; } = [];

    public DateTimeOffset LaunchedAt { get; set; }

    /// <summary>
    /// The task's <c>/master/state</c> JSON, rendered when it last changed (for the change log) and reused by every
    /// state render until the next change: most tasks change rarely, so the document is mostly copied bytes.
    /// </summary>
    public byte[]? CachedJson { get; set; }

    /// <summary>The task as the last published state view holds it (set by <see cref="State.StateViewPublisher"/> under the lock).</summary>
    public State.TaskView? View { get; set; }

    /// <summary>Bumped on every published change: an update written outside the lock is applied only if nothing changed meanwhile.</summary>
    public long Revision { get; set; }

    /// <summary>The uuid of the agent's update being written to the store right now (null: none).</summary>
    public string? WritingUuid { get; set; }

    /// <summary>The framework asked for a kill the agent may not have received yet (agent unreachable or recovering).</summary>
    public bool KillRequested { get; set; }

    public bool Healthy => Statuses.Count > 0 && Statuses[^1].Healthy == true;

    /// <summary>Whether an update with this uuid was already applied (agents retry until acknowledged).</summary>
    public bool Seen(string uuid) => _uuids.Contains(uuid);

    public void Remember(string uuid)
    {
        if (_uuids.Add(uuid))
        {
            _uuidOrder.Enqueue(uuid);
            if (_uuidOrder.Count > MaxRememberedUuids)
            {
                _uuids.Remove(_uuidOrder.Dequeue());
            }
        }
    }
}
