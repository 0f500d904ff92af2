using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master;

/// <summary>Master settings with Mesos's defaults (docs/configuration/master.md).</summary>
public sealed record MasterOptions
{
    /// <summary>The IP the master is reached at: <c>leader</c> is <c>master@IP:port</c> and must be an IP, never a hostname.</summary>
    public string AdvertiseIp { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5050;

    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary><c>--agent-ping-timeout</c>: one missed heartbeat window.</summary>
    public TimeSpan AgentPingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary><c>--max-agent-ping-timeouts</c>: windows missed in a row before the agent is unreachable (15 s × 5 = 75 s).</summary>
    public int MaxAgentPingTimeouts { get; init; } = 5;

    /// <summary>After a master restart, recovered agents that do not come back within this are unreachable (Mesos: 10 min).</summary>
    public TimeSpan AgentReregisterTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The heartbeat interval agents are told to use (a third of the ping timeout).</summary>
    public TimeSpan HeartbeatInterval => TimeSpan.FromTicks(AgentPingTimeout.Ticks / 3);

    /// <summary><c>allocation_interval</c>: how often the allocator runs.</summary>
    public TimeSpan AllocationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>--offer-timeout</c>: offers not accepted or declined within this are rescinded. Mesos has no timeout by
    /// default; Minuet uses 5 min so one framework that holds an offer (a lost answer, a stalled scheduler) cannot
    /// stop launches for good, while a working scheduler (which answers within a second) never sees it.
    /// Null or zero turns it off.
    /// </summary>
    public TimeSpan? OfferTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>--max-unread-framework-events</c>: events a framework may leave unread before its subscription is cut as
    /// too slow (it subscribes again and reconciles; the cut is logged and counted in
    /// <c>master/frameworks_disconnected_slow</c>); see <see cref="FrameworkConnection"/>.
    /// </summary>
    public int FrameworkEventCapacity { get; init; } = FrameworkConnection.DefaultCapacity;

    /// <summary>Unacknowledged status updates are sent to the framework again after this (Mesos starts at 10 s).</summary>
    public TimeSpan StatusUpdateRetry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Heartbeat events on scheduler streams (Mesos: 15 s).</summary>
    public TimeSpan SchedulerHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Completed tasks kept per framework for <c>/master/state</c> (Mesos <c>max_completed_tasks_per_framework</c>).</summary>
    public int MaxCompletedTasksPerFramework { get; init; } = 1000;

    /// <summary>Deltas kept for stream resumption (<c>?since=VERSION</c>); older resumes get a fresh snapshot.</summary>
    public int StreamLogCapacity { get; init; } = 10_000;

    public AllocatorOptions Allocator { get; init; } = new();

    /// <summary>
    /// A fixed master id (HA: each master of a group has its own, named in the leader key); null reads it from the
    /// store, or creates and stores one.
    /// </summary>
    public string? MasterId { get; init; }

    /// <summary>HA: start as a standby that holds no state and acts on nothing until <see cref="MasterCore.TakeOver"/>.</summary>
    public bool StartStandby { get; init; }

    public string LeaderPid => $"master@{FormatHost(AdvertiseIp)}:{Port}";

    internal static string FormatHost(string ip) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
}
