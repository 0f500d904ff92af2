namespace Minuet.DataPlane.Sources;

/// <summary>Why a state document was rejected: the JSON path of the offending field and the reason.</summary>
public sealed record StateParseError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";

    /// <summary>The same error seen from the enclosing object (<c>tasks[0]</c> + <c>.id</c>).</summary>
    internal StateParseError Under(string parent) =>
        this with { Path = Path.StartsWith('[') ? parent + Path : parent + "." + Path };
}
