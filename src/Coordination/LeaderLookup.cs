namespace Minuet.Coordination;

/// <summary>What one pass over the masters found: the leader's base URL, or why none (every master's reason).</summary>
public readonly record struct LeaderLookup(Uri? Leader, string? Error)
{
    public bool Found => Leader is not null;

    /// <summary>True when the master asked did not answer at all (refused, timed out), as against a 503 or other status.</summary>
    public bool Unreachable { get; init; }

    /// <summary>True when the master asked stands by yet names its own address as the leader's (restarted where the leader died).</summary>
    public bool SelfStandby { get; init; }

    public static LeaderLookup Of(Uri leader) => new(leader, null);

    public static LeaderLookup Failed(string error) => new(null, error);

    public static LeaderLookup NoAnswer(string error) => new(null, error) { Unreachable = true };
}
