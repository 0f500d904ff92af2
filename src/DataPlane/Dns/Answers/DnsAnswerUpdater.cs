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
            LastWasIncremental = false;
            return _index;
        }

        // Counted on the first delta after a full compile rather than during it, so full builds stay as fast as before.
        _below ??= DnsAnswerCompiler.CountDescendants(_records);
        _index = DnsAnswerCompiler.Update(_index, delta, _below);
        _records = records;
        LastWasIncremental = true;
        return _index;
    }
}
