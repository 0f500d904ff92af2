using System.Globalization;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Configuration;

/// <summary>
/// Parses Mesos's <c>--resources</c> text: <c>name[(role)]:value</c> parts separated by <c>;</c>, where value is a
/// number (<c>cpus</c>, <c>mem</c>, <c>disk</c>, <c>gpus</c>) or ranges (<c>ports:[31000-32000,33000-33010]</c>).
/// Every error names the part it came from. Resources not named fall back to <see cref="ResourceDefaults"/>.
/// </summary>
internal static class ResourceStringParser
{
    private static readonly string[] Known = ["cpus", "mem", "disk", "gpus", "ports"];

    public static ParseResult<AgentResources> Parse(string? text, ResourceSet defaults)
    {
        var pools = new Dictionary<string, Pool>(StringComparer.Ordinal) { ["*"] = new Pool() };
        var parts = (text ?? string.Empty).Split(';', StringSplitOptions.TrimEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length == 0)
            {
                continue;
            }

            string where = $"resource part {i + 1} '{part}'";
            int colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Fail(where, "expected name:value, e.g. cpus:2 or ports:[31000-32000]");
            }

            string name = part[..colon].Trim();
            string value = part[(colon + 1)..].Trim();
            string role = "*";
            int paren = name.IndexOf('(', StringComparison.Ordinal);
            if (paren >= 0)
            {
                if (!name.EndsWith(')'))
                {
                    return Fail(where, "a role must be written name(role), e.g. cpus(ads):2");
                }

                role = name[(paren + 1)..^1].Trim();
                name = name[..paren].Trim();
                if (role.Length == 0 || role.Contains(' ', StringComparison.Ordinal) || role.StartsWith('-') || role is "." or "..")
                {
                    return Fail(where, $"'{role}' is not a valid role");
                }
            }

            if (!Known.Contains(name))
            {
                return Fail(where, $"unknown resource '{name}' (known: {string.Join(", ", Known)})");
            }

            var pool = pools.TryGetValue(role, out var existing) ? existing : pools[role] = new Pool();
            if (!pool.Seen.Add(name))
            {
                return Fail(where, $"'{name}' is given twice for role '{role}'");
            }

            if (name == "ports")
            {
                var ranges = ParseRanges(value);
                if (!ranges.Ok)
                {
                    return Fail(where, ranges.Error!);
                }

                pool.Set = pool.Set with { Ports = ranges.Value! };
                continue;
            }

            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ||
                double.IsNaN(number) || double.IsInfinity(number))
            {
                return Fail(where, $"'{value}' is not a number");
            }

            if (number < 0)
            {
                return Fail(where, $"'{name}' must not be negative");
            }

            pool.Set = name switch
            {
                "cpus" => pool.Set with { Cpus = number },
                "mem" => pool.Set with { Mem = number },
                "disk" => pool.Set with { Disk = number },
                _ => pool.Set with { Gpus = number },
            };
        }

        var unreserved = pools["*"];
        var set = unreserved.Set;
        set = set with
        {
            Cpus = unreserved.Seen.Contains("cpus") ? set.Cpus : defaults.Cpus,
            Mem = unreserved.Seen.Contains("mem") ? set.Mem : defaults.Mem,
            Disk = unreserved.Seen.Contains("disk") ? set.Disk : defaults.Disk,
            Gpus = unreserved.Seen.Contains("gpus") ? set.Gpus : defaults.Gpus,
            Ports = unreserved.Seen.Contains("ports") ? set.Ports : defaults.Ports,
        };
        var reserved = pools.Where(p => p.Key != "*").ToDictionary(p => p.Key, p => p.Value.Set, StringComparer.Ordinal);
        return ParseResult<AgentResources>.Success(new AgentResources(set, reserved));
    }

    /// <summary>Parses <c>[a-b,c-d]</c> into sorted ranges; overlaps and reversed ranges are errors.</summary>
    public static ParseResult<IReadOnlyList<PortRange>> ParseRanges(string value)
    {
        string text = value.Trim();
        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return ParseResult<IReadOnlyList<PortRange>>.Failure($"'{value}' is not a range list like [31000-32000]");
        }

        var ranges = new List<PortRange>();
        foreach (var item in text[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = item.IndexOf('-', StringComparison.Ordinal);
            string first = dash < 0 ? item : item[..dash].Trim();
            string last = dash < 0 ? item : item[(dash + 1)..].Trim();
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int begin) ||
                !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int end))
            {
                return ParseResult<IReadOnlyList<PortRange>>.Failure($"range '{item}' is not begin-end with whole numbers");
            }

            if (begin < 1 || end > 65535 || begin > end)
            {
                return ParseResult<IReadOnlyList<PortRange>>.Failure($"range '{item}' must satisfy 1 <= begin <= end <= 65535");
            }

            ranges.Add(new PortRange(begin, end));
        }

        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Begin <= ranges[i - 1].End)
            {
                return ParseResult<IReadOnlyList<PortRange>>.Failure($"ranges {ranges[i - 1]} and {ranges[i]} overlap");
            }
        }

        return ParseResult<IReadOnlyList<PortRange>>.Success(ranges);
    }

    private static ParseResult<AgentResources> Fail(string where, string reason) =>
        ParseResult<AgentResources>.Failure($"--resources: {where}: {reason}");

    private sealed class Pool
    {
        public ResourceSet Set { get; set; } = new();

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
    }
}
