namespace Minuet.Cli.Cluster;

/// <summary>
/// How long <c>up</c> waits before restarting a child that died, as systemd's <c>RestartSec</c> with a growing step:
/// 1 s, 2 s, 4 s ... up to 30 s while it keeps dying soon after each start; a child that ran for a minute starts
/// the sequence over, so one crash a day never waits long and a crash loop never spins.
/// </summary>
internal sealed class RestartBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Healthy = TimeSpan.FromMinutes(1);

    private TimeSpan _next = First;

    /// <summary>Restarts so far, counting this one.</summary>
    public int Restarts { get; private set; }

    /// <summary>The wait before the next restart of a child that ran <paramref name="ran"/> before dying.</summary>
    public TimeSpan Next(TimeSpan ran)
    {
        if (ran >= Healthy)
        {
            _next = First;
        }

        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(Max.Ticks, _next.Ticks * 2));
        Restarts++;
        return delay;
    }
}
