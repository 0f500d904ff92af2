namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// VIPs whose last backend went away stay in the kernel set for a while: a client that still connects to one
/// is then refused at once by the REJECT rule (the balancer finds no route for it) instead of its SYN
/// wandering off un-NATed and hanging. After <c>linger</c> they leave the set for good.
/// </summary>
internal sealed class LingeringVips(TimeSpan linger, TimeProvider time)
{
    private readonly Dictionary<IpPort, long> _removedAt = [];
    private HashSet<IpPort> _previous = [];

    /// <summary>What the kernel set should hold for this table: its VIPs plus the ones still lingering.</summary>
    public HashSet<IpPort> Desired(IEnumerable<IpPort> current)
    {
        long now = time.GetTimestamp();
        var live = current.ToHashSet();
        foreach (var vip in _previous)
        {
            if (!live.Contains(vip))
            {
                _removedAt.TryAdd(vip, now);
            }
        }

        foreach (var vip in live)
        {
            _removedAt.Remove(vip);
        }

        foreach (var (vip, removed) in _removedAt.ToArray())
        {
            if (time.GetElapsedTime(removed, now) >= linger)
            {
                _removedAt.Remove(vip);
            }
        }

        _previous = live;
        var desired = new HashSet<IpPort>(live);
        desired.UnionWith(_removedAt.Keys);
        return desired;
    }
}
