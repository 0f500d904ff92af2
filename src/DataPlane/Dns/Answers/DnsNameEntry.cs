namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Precomputed answers of one existing name, per query type. A null answer means the name exists without data
/// of that type (NODATA). Empty non-terminals (<c>marathon.mesos</c> above <c>web.marathon.mesos</c>) have no answers at all.
/// </summary>
internal sealed class DnsNameEntry
{
    public required int ZoneIndex { get; init; }

    /// <summary>
    /// For an entry compiled lazily and cached on its name's records: the compile scope (zones and zone settings but
    /// the serial) it is valid for. An index of another scope compiles the name again.
    /// </summary>
    public object? Scope { get; init; }

    public CompiledAnswer? A { get; init; }

    public CompiledAnswer? Aaaa { get; init; }

    public CompiledAnswer? Srv { get; init; }

    public CompiledAnswer? Soa { get; init; }

    public CompiledAnswer? Ns { get; init; }

    public CompiledAnswer? Any { get; init; }
}
