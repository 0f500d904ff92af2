namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// Proof of leadership for one term: the leader key and the revision at which this process created it. Every
/// leader-only write is a txn guarded by <c>create_revision(Key) == CreateRevision</c>, so a deposed leader's
/// write fails instead of landing (etcd's own election guards Proclaim and Resign the same way).
/// </summary>
internal sealed record LeaderFence(string Key, long CreateRevision);

/// <summary>Where a store asks whether, and as whom, this process leads right now.</summary>
internal interface ILeaderFenceSource
{
    /// <summary>The current term's fence, or null while not leading.</summary>
    LeaderFence? Fence { get; }

    /// <summary>A fenced write was refused: the key is gone or belongs to another term. The source steps down.</summary>
    void FenceRejected(LeaderFence fence);
}
