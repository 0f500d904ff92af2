using System.Globalization;
using System.Text;

namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// An immutable set of ports kept as sorted, merged, non-adjacent intervals (Mesos's <c>Value.Ranges</c>).
/// Formats as Mesos writes ranges in <c>/master/state</c>: <c>[31000-31005, 31010-31010]</c>.
/// </summary>
public sealed class PortSet : IEquatable<PortSet>
{
    private readonly PortInterval[] _intervals;

    private PortSet(PortInterval[] normalized) => _intervals = normalized;

    public static PortSet Empty { get; } = new([]);

    public IReadOnlyList<PortInterval> Intervals => _intervals;

    public bool IsEmpty => _intervals.Length == 0;

    public ulong Count
    {
        get
        {
            ulong n = 0;
            foreach (var i in _intervals)
            {
                n += i.Count;
            }

            return n;
        }
    }

    public static PortSet Of(params ReadOnlySpan<PortInterval> intervals) => new(Normalize(intervals.ToArray()));

    public static PortSet OfPort(uint port) => new([new PortInterval(port, port)]);

    public bool Contains(uint port)
    {
        foreach (var i in _intervals)
        {
            if (port >= i.Begin && port <= i.End)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every port of <paramref name="other"/> is in this set.</summary>
    public bool Contains(PortSet other)
    {
        foreach (var o in other._intervals)
        {
            bool covered = false;
            foreach (var i in _intervals)
            {
                if (o.Begin >= i.Begin && o.End <= i.End)
                {
                    covered = true;
                    break;
                }
            }

            if (!covered)
            {
                return false;
            }
        }

        return true;
    }

    public PortSet Union(PortSet other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        var all = new PortInterval[_intervals.Length + other._intervals.Length];
        _intervals.CopyTo(all, 0);
        other._intervals.CopyTo(all, _intervals.Length);
        return new PortSet(Normalize(all));
    }

    public PortSet Subtract(PortSet other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var result = new List<PortInterval>(_intervals.Length + 1);
        foreach (var interval in _intervals)
        {
            ulong begin = interval.Begin;
            ulong end = interval.End;
            foreach (var cut in other._intervals)
            {
                if (cut.End < begin || cut.Begin > end)
                {
                    continue;
                }

                if (cut.Begin > begin)
                {
                    result.Add(new PortInterval((uint)begin, cut.Begin - 1));
                }

                begin = (ulong)cut.End + 1;
                if (begin > end)
                {
                    break;
                }
            }

            if (begin <= end)
            {
                result.Add(new PortInterval((uint)begin, (uint)end));
            }
        }

        return result.Count == 0 ? Empty : new PortSet(result.ToArray());
    }

    /// <summary>The first <paramref name="count"/> ports, in order (used to assign ports to a task from an offer).</summary>
    public PortSet Take(int count)
    {
        var result = new List<PortInterval>();
        ulong left = (ulong)Math.Max(0, count);
        foreach (var i in _intervals)
        {
            if (left == 0)
            {
                break;
            }

            ulong take = Math.Min(left, i.Count);
            result.Add(new PortInterval(i.Begin, (uint)(i.Begin + take - 1)));
            left -= take;
        }

        return result.Count == 0 ? Empty : new PortSet(result.ToArray());
    }

    /// <summary>Mesos's range string, e.g. <c>[31000-31005, 31010-31010]</c>; <c>[]</c> when empty.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(2 + (_intervals.Length * 13));
        sb.Append('[');
        for (int k = 0; k < _intervals.Length; k++)
        {
            if (k > 0)
            {
                sb.Append(", ");
            }

            sb.Append(_intervals[k].Begin).Append('-').Append(_intervals[k].End);
        }

        return sb.Append(']').ToString();
    }

    /// <summary>
    /// Parses <c>[31000-32000]</c>, <c>[31000-31005, 31010-31010]</c>, or without brackets; a single port may stand
    /// alone (<c>[80]</c>). Returns a reason instead of throwing.
    /// </summary>
    public static bool TryParse(string? text, out PortSet set, out string? error)
    {
        set = Empty;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "expected a range list such as [31000-32000]";
            return false;
        }

        var s = text.Trim();
        if (s.StartsWith('['))
        {
            if (!s.EndsWith(']'))
            {
                error = $"'{text}' opens '[' without closing ']'";
                return false;
            }

            s = s[1..^1];
        }

        if (s.Trim().Length == 0)
        {
            return true;
        }

        var parts = s.Split(',', StringSplitOptions.TrimEntries);
        var intervals = new PortInterval[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            var part = parts[k];
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            var lo = dash < 0 ? part : part[..dash].Trim();
            var hi = dash < 0 ? part : part[(dash + 1)..].Trim();
            if (!uint.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out uint begin) ||
                !uint.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out uint end) ||
                end > 65535)
            {
                error = $"'{part}' is not a port range (expected BEGIN-END with ports 0-65535)";
                return false;
            }

            if (begin > end)
            {
                error = $"'{part}' begins after it ends";
                return false;
            }

            intervals[k] = new PortInterval(begin, end);
        }

        set = new PortSet(Normalize(intervals));
        return true;
    }

    public static PortSet Parse(string text) =>
        TryParse(text, out var set, out var error) ? set : throw new FormatException(error);

    public bool Equals(PortSet? other) => other is not null && _intervals.AsSpan().SequenceEqual(other._intervals);

    public override bool Equals(object? obj) => Equals(obj as PortSet);

    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var i in _intervals)
        {
            hash.Add(i);
        }

        return hash.ToHashCode();
    }

    private static PortInterval[] Normalize(PortInterval[] intervals)
    {
        if (intervals.Length <= 1)
        {
            return intervals;
        }

        Array.Sort(intervals, static (a, b) => a.Begin.CompareTo(b.Begin));
        var merged = new List<PortInterval>(intervals.Length);
        var current = intervals[0];
        for (int k = 1; k < intervals.Length; k++)
        {
            var next = intervals[k];
            if ((ulong)next.Begin <= (ulong)current.End + 1)
            {
                current = current with { End = Math.Max(current.End, next.End) };
            }
            else
            {
                merged.Add(current);
                current = next;
            }
        }

        merged.Add(current);
        return merged.ToArray();
    }
}
