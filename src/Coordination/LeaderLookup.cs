namespace Minuet.Coordination;

/// <summary>What one pass over the masters found: the leader's base URL, or why none (every master's reason).</summary>
public readonly record struct LeaderLookup(Uri? Leader, string? Error)
{
    public bool Found => Leader is not null;

    public static LeaderLookup Of(Uri leader) => new(leader, null);

    public static LeaderLookup Failed(string error) => new(null, error);
}
