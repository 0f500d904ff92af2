using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>
/// Picks host ports from an offer's ranges: a fixed host port must be offered; 0 takes the lowest free one; a port
/// without a host port (container networks) takes none. Returns null when the offer cannot hold the ports.
/// </summary>
internal static class PortAssigner
{
    /// <summary>One entry per app port: the host port, or null for container-only ports.</summary>
    public static List<int?>? Assign(IReadOnlyList<AppPort> ports, SortedSet<int> free)
    {
        var result = new List<int?>(ports.Count);
        var taken = new HashSet<int>();
        foreach (var port in ports.Where(p => p.HostPort is > 0))
        {
            if (!free.Contains(port.HostPort!.Value) || !taken.Add(port.HostPort.Value))
            {
                return null;
            }
        }

        using var next = free.GetEnumerator();
        foreach (var port in ports)
        {
            switch (port.HostPort)
            {
                case null:
                    result.Add(null);
                    break;
                case > 0:
                    result.Add(port.HostPort);
                    break;
                default:
                    int? chosen = null;
                    while (next.MoveNext())
                    {
                        if (taken.Add(next.Current))
                        {
                            chosen = next.Current;
                            break;
                        }
                    }

                    if (chosen is null)
                    {
                        return null;
                    }

                    result.Add(chosen);
                    break;
            }
        }

        return result;
    }

    /// <summary>The set of individual ports in Mesos ranges.</summary>
    public static SortedSet<int> Expand(IEnumerable<PortRange> ranges)
    {
        var set = new SortedSet<int>();
        foreach (var r in ranges)
        {
            for (int p = r.Begin; p <= r.End; p++)
            {
                set.Add(p);
            }
        }

        return set;
    }

    /// <summary>Ports back into sorted ranges (single ports become one-port ranges, adjacent ones merge).</summary>
    public static List<PortRange> ToRanges(IEnumerable<int> ports)
    {
        var ranges = new List<PortRange>();
        foreach (int p in ports.Order())
        {
            if (ranges.Count > 0 && ranges[^1].End + 1 == p)
            {
                ranges[^1] = ranges[^1] with { End = p };
            }
            else
            {
                ranges.Add(new PortRange(p, p));
            }
        }

        return ranges;
    }
}
