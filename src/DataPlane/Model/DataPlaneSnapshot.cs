using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Model;

/// <summary>
/// One consistent view for every reader in the data plane: the cluster state it came from, the DNS records
/// built from it, and the named VIPs that were programmed. Readers take it with one volatile read; writers
/// build a new one and swap it in (<see cref="SnapshotStore"/>).
/// </summary>
public sealed record DataPlaneSnapshot(
    ClusterState State,
    DnsRecordSet Records,
    IReadOnlyList<NamedVipAddress> NamedVips,
    DateTimeOffset BuiltAt)
{
    /// <summary>
    /// Set when <see cref="Records"/> was derived from the previous snapshot's records by a task delta: the names
    /// that changed, so the DNS server recompiles only those. Null after a full build.
    /// </summary>
    public RecordDelta? RecordDelta { get; init; }
}
