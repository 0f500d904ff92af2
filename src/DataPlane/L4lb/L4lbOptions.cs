using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb;

/// <summary>Settings of the L4 balancer, from the <c>minuet dataplane</c> command line.</summary>
internal sealed record L4lbOptions
{
    /// <summary>Minuteman's first queue number.</summary>
    public const int DefaultFirstQueue = 50;

    public VipRange VipRange { get; init; } = VipRange.Default;

    public string Policy { get; init; } = BackendPolicies.Default;

    /// <summary>First NFQUEUE number; workers use FirstQueue .. FirstQueue + QueueCount - 1.</summary>
    public int FirstQueue { get; init; } = DefaultFirstQueue;

    /// <summary>Queue workers (one thread and one queue each); default one per core.</summary>
    public int QueueCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Add <c>--queue-bypass</c>: with no reader, SYNs pass un-NATed instead of being dropped.</summary>
    public bool FailOpen { get; init; }

    /// <summary>
    /// Queue worker threads run SCHED_FIFO (priority 1), so a woken worker handles its SYN at once instead of
    /// waiting for a time slice behind busy threads. They block between SYNs; under a SYN flood they can take
    /// up to the kernel's real-time share (95% by default) of the cores they run on.
    /// </summary>
    public bool RealTimeQueueWorkers { get; init; } = true;

    /// <summary>Name of the ipset of VIP ip,port entries (and the prefix of the rule comments).</summary>
    public string SetName { get; init; } = "minuet-vips";

    /// <summary>How often kernel state is fully compared and repaired, besides delta updates.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    public HealthOptions Health { get; init; } = HealthOptions.Default;

    /// <summary>How long a VIP that lost its last backend stays in the set, so clients are refused, not hung.</summary>
    public TimeSpan VipLinger { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// When set, iptables runs through <c>ip netns exec</c> in this namespace (in-process tests, whose sockets
    /// are opened on a thread inside it). The daemon is started inside its namespace and leaves this null.
    /// </summary>
    public string? ToolNetworkNamespace { get; init; }

    /// <summary>Every problem, each naming its option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Health.Validate());
        if (!BackendPolicies.IsKnown(Policy))
        {
            errors.Add($"--policy: unknown policy '{Policy}'; known: {string.Join(", ", BackendPolicies.Names)}");
        }

        if (QueueCount is < 1 or > 64)
        {
            errors.Add("--queues: must be between 1 and 64");
        }

        if (FirstQueue < 0 || FirstQueue + QueueCount - 1 > ushort.MaxValue)
        {
            errors.Add("--first-queue: queues must lie between 0 and 65535");
        }

        if (SetName.Length is 0 or > 31)
        {
            errors.Add("--ipset: the set name must be 1 to 31 characters");
        }

        return errors;
    }
}
