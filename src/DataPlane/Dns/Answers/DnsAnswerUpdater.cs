using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Keeps the DNS server's compiled answers in step with the published record sets: a snapshot that carries a
/// <see cref="RecordDelta"/> from the set compiled last only recompiles the names it changed; anything else
/// (the first snapshot, a rebuild, a skipped snapshot, new zone settings) compiles everything.
/// One writer at a time (the server serialises publishes).
/// </summary>
internal sealed class DnsAnswerUpdater
{
    private DnsRecordSet? _records;
    private DnsAnswerIndex? _index;
    private Dictionary<string, int>? _below;
    private Task<Dictionary<string, int>>? _counting;

    /// <summary>True when the last <see cref="Update"/> compiled only the delta.</summary>
    public bool LastWasIncremental { get; private set; }

    public DnsAnswerIndex Update(DnsRecordSet records, RecordDelta? delta)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (delta is null || _index is null || _records is null
            || !ReferenceEquals(delta.Previous, _records) || !ReferenceEquals(delta.Current, records)
            || !DnsAnswerCompiler.SameZonesButSerial(_records.Zone, records.Zone))
        {
            _index = DnsAnswerCompiler.Compile(records);
            _records = records;
            _below = null;
            // Deltas need, per name, how many names lie under it: counted off the publishing thread (the record set
            // is immutable), so neither the full build nor, usually, the first delta after it waits for the count.
            // Only sets from the incremental path (a sharded map) get deltas; polled documents never need the count.
            _counting = records.Names is Model.ShardedMap<string, DnsNameRecords>
                ? Task.Run(() => DnsAnswerCompiler.CountDescendants(records))
                : null;
            LastWasIncremental = false;
            return _index;
        }

        _below ??= _counting is not null ? _counting.GetAwaiter().GetResult() : DnsAnswerCompiler.CountDescendants(_records);
        _index = DnsAnswerCompiler.Update(_index, delta, _below);
        _records = records;
        LastWasIncremental = true;
        return _index;
    }
}
