namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// One leadership as a standby saw it on the leader key: the value (whom it names), the revision at which that
/// leader created the key and the lease it is attached to. Together they name exactly one term: a takeover guarded by
/// them can remove that term's key and nothing else (not a newer leader's key at the same address).
/// </summary>
internal sealed record LeaderTerm(string Value, long CreateRevision, long Lease);
