namespace Minuet.DataPlane.Dns.Answers;

/// <summary>The responder's view of the names of an index: lookup by lower-case wire name, and a listing for diagnostics.</summary>
internal interface INameTable<T>
    where T : class
{
    int Count { get; }

    /// <summary>Finds a name already lower-cased; allocation-free once the name's answers exist.</summary>
    T? FindLower(ReadOnlySpan<byte> lowerName);

    /// <summary>Every name and value (tests and diagnostics; not for the query path).</summary>
    IEnumerable<KeyValuePair<byte[], T>> Items();
}
