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
    DateTimeOffset BuiltAt);
