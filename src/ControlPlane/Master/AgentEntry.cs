using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master;

/// <summary>Where an agent stands with the master.</summary>
internal enum AgentStatus
{
    /// <summary>Registered and heartbeating.</summary>
    Active,

    /// <summary>Known from the store after a master restart; waiting for it to re-register.</summary>
    Recovered,

    /// <summary>Silent past the ping timeouts; its tasks are TASK_UNREACHABLE until it comes back.</summary>
    Unreachable,
}

/// <summary>A registered agent as the master keeps it.</summary>
internal sealed class AgentEntry
{
    public required string Id { get; init; }

    public required string Hostname { get; set; }

    /// <summary>IP literal (the host part of <c>slave(1)@IP:port</c>).</summary>
    public required string Address { get; set; }

    public int Port { get; set; } = 5051;

    /// <summary>What the agent declares: unreserved plus static reservations (dynamic ones live in the master).</summary>
    public required AgentResources Declared { get; set; }

    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();

    public string Version { get; set; } = "0.1.0";

    public DateTimeOffset RegisteredTime { get; set; }

    public DateTimeOffset? ReregisteredTime { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public AgentStatus Status { get; set; }

    /// <summary>Tasks placed on this agent that are not terminal (or terminal but not yet acknowledged).</summary>
    public HashSet<string> TaskIds { get; } = new(StringComparer.Ordinal);

    public string Pid => $"slave(1)@{MasterOptions.FormatHost(Address)}:{Port}";
}
