using System.Net;

namespace Minuet.ControlPlane.Coordination;

/// <summary>How one candidate campaigns: the key, what it writes there, and the lease TTL (<c>--leader-ttl</c>).</summary>
internal sealed record LeaderElectionOptions
{
    public const string MasterKey = "/minuet/master/leader";

    public const string SchedulerKey = "/minuet/marathon/leader";

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(5);

    public required string Key { get; init; }

    /// <summary>The leader key's value while this candidate leads (the JSON that clients follow).</summary>
    public required string Value { get; init; }

    /// <summary>Lease TTL: a crashed leader is replaced after about this long (etcd's floor is 1.5 × its election timeout).</summary>
    public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary>Keepalives (and the leader's check that the key is still its own) go out this often.</summary>
    public TimeSpan KeepAliveInterval => TimeSpan.FromTicks(Ttl.Ticks / 3);

    /// <summary>A standby looks at the key this often even when no watch event arrives (the watch is the fast path).</summary>
    public TimeSpan PollInterval => TimeSpan.FromTicks(Ttl.Ticks / 3);

    /// <summary>
    /// Where a leader named by a key value listens (null: unknown). Set, standbys probe that address and remove the key
    /// of a leader whose port refuses connections (<see cref="LeaderProbeLoop"/>); unset, only the lease replaces it.
    /// </summary>
    public Func<string, EndPoint?>? ProbeTarget { get; init; }

    /// <summary>A standby connects to the leader's address this often.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Refusals in a row (spanning <see cref="ProbeInterval"/> × (n − 1)) that prove the leader's process dead.</summary>
    public int ProbeRefusals { get; init; } = 4;

    /// <summary>A term's address must answer every probe this long before refusals count (<see cref="LeaderDeathDetector"/>).</summary>
    public TimeSpan ProbeArm { get; init; } = TimeSpan.FromSeconds(2);
}
