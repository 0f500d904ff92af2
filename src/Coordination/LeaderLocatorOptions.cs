namespace Minuet.Coordination;

/// <summary>How a <see cref="LeaderLocator"/> asks and retries.</summary>
public sealed record LeaderLocatorOptions
{
    /// <summary>The route every master answers with a 307 to the leader (or 503 when it knows none): Mesos's.</summary>
    public string RedirectPath { get; init; } = "/master/redirect";

    /// <summary>One question to one master. Loopback and LAN masters answer in milliseconds; a dead host's SYN does not.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>First pause after a pass that found no leader; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest pause between passes. An election takes about one lease TTL (5 s by default), so a cap near a second
    /// finds the new leader soon after it is elected without hammering standbys that answer 503 meanwhile.
    /// </summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many redirects one pass follows from a master before giving up on it (masters disagreeing mid-election).</summary>
    public int MaxHops { get; init; } = 3;

    /// <summary>
    /// After a pass without a leader, <see cref="LeaderLocator.FindAsync"/> asks the last master that answered to hold
    /// its answer up to this long until it names a new leader (<c>/master/redirect?wait_secs=N&amp;unless=ip:port</c>):
    /// the new leader is found as soon as it is elected, without a pass every backoff. Zero turns it off; a master
    /// without the extension answers at once, and the backoff applies as before.
    /// </summary>
    public TimeSpan ElectionWait { get; init; } = TimeSpan.FromSeconds(10);
}
