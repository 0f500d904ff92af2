using System.Globalization;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>Marathon's constraint operators against one candidate agent and the app's tasks already placed (docs/docs/constraints.md).</summary>
internal static class ConstraintMatcher
{
    public static bool Matches(IReadOnlyList<ConstraintSpec> constraints, PlacementTarget candidate, IReadOnlyList<PlacementTarget> placed) =>
        constraints.All(c => Matches(c, candidate, placed));

    public static bool Matches(ConstraintSpec constraint, PlacementTarget candidate, IReadOnlyList<PlacementTarget> placed)
    {
        var value = candidate.ValueOf(constraint.Field);
        if (value is null)
        {
            // A missing attribute satisfies only UNLIKE.
            return constraint.Operator == ConstraintOperator.Unlike;
        }

        var others = placed.Select(p => p.ValueOf(constraint.Field)).Where(v => v is not null).Select(v => v!).ToList();
        switch (constraint.Operator)
        {
            case ConstraintOperator.Unique:
                return !others.Contains(value, StringComparer.Ordinal);
            case ConstraintOperator.Cluster:
                return constraint.Value is { } wanted ? value == wanted : others.Count == 0 || others.All(o => o == value);
            case ConstraintOperator.Is:
                return value == constraint.Value;
            case ConstraintOperator.Like:
                return FullMatch(value, constraint.Value!);
            case ConstraintOperator.Unlike:
                return !FullMatch(value, constraint.Value!);
            case ConstraintOperator.MaxPer:
                return others.Count(o => o == value) < int.Parse(constraint.Value!, CultureInfo.InvariantCulture);
            case ConstraintOperator.GroupBy:
                var counts = others.GroupBy(o => o, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
                int groups = constraint.Value is null ? 0 : int.Parse(constraint.Value, CultureInfo.InvariantCulture);
                if (!counts.TryGetValue(value, out int mine))
                {
                    return true;
                }

                // Until the expected number of groups has been seen, only new groups are taken; then the least used.
                return counts.Count >= groups && mine <= counts.Values.Min();
            default:
                return false;
        }
    }

    private static bool FullMatch(string value, string pattern) =>
        Regex.IsMatch(value, "^(?:" + pattern + ")$", RegexOptions.None, TimeSpan.FromMilliseconds(100));
}
