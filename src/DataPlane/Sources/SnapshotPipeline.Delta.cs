using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

public sealed partial class SnapshotPipeline
{
    private IncrementalRecordSet? _incremental;

    /// <summary>
    /// The record set for <paramref name="state"/>: without a delta the full builder (polled documents); with one the
    /// incremental set, which rebuilds when the delta says so or cannot be applied (new framework, a failed build
    /// before), and otherwise touches only the changed tasks' names.
    /// </summary>
    private DnsRecordSet BuildRecords(
        ClusterState state, IReadOnlyList<NamedVipAddress> namedVips, uint serial, StateDelta? delta, out RecordDelta? recordDelta)
    {
        recordDelta = null;
        if (delta is null)
        {
            _incremental?.Reset();
            return _builder.Build(state, namedVips, serial);
        }

        _incremental ??= new IncrementalRecordSet(_builder);
        try
        {
            if (!delta.Rebuild)
            {
                recordDelta = _incremental.Apply(delta.Tasks, namedVips, serial);
            }

            return recordDelta?.Current ?? _incremental.Rebuild(state, namedVips, serial);
        }
        catch
        {
            // Half-applied: the next delta must start from a rebuild.
            _incremental.Reset();
            throw;
        }
    }
}
