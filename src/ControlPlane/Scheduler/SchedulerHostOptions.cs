using System.Net;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// How to run a <see cref="SchedulerHost"/>: where Marathon's API listens, which master to register with (an HTTP
/// URL, or an in-process <see cref="MasterCore"/>), and where state is kept.
/// </summary>
internal sealed record SchedulerHostOptions
{
    /// <summary>Marathon API endpoint (<c>--marathon-listen</c>, default 0.0.0.0:8080; port 0 picks a free one).</summary>
    public IPEndPoint MarathonListen { get; init; } = new(IPAddress.Any, 8080);

    /// <summary>The master's base URL, e.g. <c>http://127.0.0.1:5050/</c>. Ignored when <see cref="Master"/> is set.</summary>
    public Uri? MasterUrl { get; init; }

    /// <summary>Every master of an HA cluster (the first is <see cref="MasterUrl"/>); the link follows the leader among them.</summary>
    public IReadOnlyList<Uri> MasterUrls { get; init; } = [];

    /// <summary>A master in this process (<c>minuet up</c>, tests): calls go straight to it.</summary>
    public MasterCore? Master { get; init; }

    /// <summary><c>--state-dir</c>: apps, tasks and deployments in <c>scheduler.db</c> there; null keeps them in memory.</summary>
    public string? StateDir { get; init; }

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>HA: the store to use instead of <see cref="StateDir"/> (etcd, fenced by this scheduler's term).</summary>
    internal ISchedulerStore? Store { get; init; }

    /// <summary>HA: what <c>DELETE /v2/leader</c> does (give up leadership); null leaves the route unmapped.</summary>
    internal Action? Abdicate { get; init; }
}
