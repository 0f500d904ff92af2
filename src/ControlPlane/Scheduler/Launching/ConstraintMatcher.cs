using System.Globalization;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>Marathon's constraint operators against one candidate agent and the app's tasks already placed (docs/docs/constraints.md).</summary>
internal static class ConstraintMatcher
{
    /// <param name="constraints">The app's constraints.</param>
    /// <param name="candidate">The agent an offer comes from.</param>
    /// <param name="placed">Where the app's tasks already are.</param>
    /// <param name="offered">
    /// Where the offers being matched now come from: GROUP_BY without a count spreads over the values known from them
    /// and the placed tasks (Marathon only learns values from offers; taking the whole batch into account keeps the
    /// first offer from taking every instance).
    /// </param>
    public static bool Matches(IReadOnlyList<ConstraintSpec> constraints, PlacementTarget candidate, IReadOnlyList<PlacementTarget> placed, IReadOnlyList<PlacementTarget>? offered = null) =>
        constraints.All(c => Matches(c, candidate, placed, offered));

    public static bool Matches(ConstraintSpec constraint, PlacementTarget candidate, IReadOnlyList<PlacementTarget> placed, IReadOnlyList<PlacementTarget>? offered = null)
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
                int groups = constraint.Value is null
                    ? KnownValues(constraint.Field, placed, offered)
                    : int.Parse(constraint.Value, CultureInfo.InvariantCulture);
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

    private static int KnownValues(string field, IReadOnlyList<PlacementTarget> placed, IReadOnlyList<PlacementTarget>? offered) =>
        placed.Concat(offered ?? []).Select(t => t.ValueOf(field)).Where(v => v is not null).Distinct(StringComparer.Ordinal).Count();

    private static bool FullMatch(string value, string pattern) =>
        Regex.IsMatch(value, "^(?:" + pattern + ")$", RegexOptions.None, TimeSpan.FromMilliseconds(100));
}
