using System.Globalization;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>Parses Mesos range strings such as <c>[31000-31001, 31005-31005]</c>.</summary>
public static class PortRangeParser
{
    public static bool TryParse(string text, out IReadOnlyList<PortRange> ranges, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ranges = [];
        reason = null;
        var span = text.AsSpan().Trim();
        if (span.IsEmpty)
        {
            return true;
        }

        if (span[0] != '[' || span[^1] != ']')
        {
            reason = $"expected a range list like \"[31000-31001, 31005-31005]\", got \"{text}\"";
            return false;
        }

        span = span[1..^1].Trim();
        if (span.IsEmpty)
        {
            return true;
        }

        var list = new List<PortRange>();
        foreach (var part in span.Split(','))
        {
            var item = span[part].Trim();
            int dash = item.IndexOf('-');
            var first = dash < 0 ? item : item[..dash].Trim();
            var last = dash < 0 ? item : item[(dash + 1)..].Trim();
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int begin)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int end))
            {
                reason = $"bad range \"{item}\" in \"{text}\"";
                return false;
            }

            if (!IsValid(begin, end, out reason))
            {
                reason += $" in \"{text}\"";
                return false;
            }

            list.Add(new PortRange(begin, end));
        }

        ranges = list;
        return true;
    }

    internal static bool IsValid(int begin, int end, out string? reason)
    {
        if (begin is < 0 or > 65535 || end is < 0 or > 65535)
        {
            reason = $"port out of range 0-65535 ({begin}-{end})";
            return false;
        }

        if (begin > end)
        {
            reason = $"range begins after it ends ({begin}-{end})";
            return false;
        }

        reason = null;
        return true;
    }
}
