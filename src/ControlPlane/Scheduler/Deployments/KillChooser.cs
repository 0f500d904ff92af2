using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>Which tasks a scale-down kills: not-yet-running ones first, then by <c>killSelection</c>.</summary>
internal static class KillChooser
{
    public static List<SchedulerTask> Choose(IEnumerable<SchedulerTask> candidates, int count, KillSelection selection)
    {
        var ordered = candidates
            .OrderBy(t => t.IsHealthy ? 2 : t.IsRunning ? 1 : 0)
            .ThenBy(t => selection == KillSelection.YoungestFirst ? -(t.StartedAt ?? t.StagedAt).UtcTicks : (t.StartedAt ?? t.StagedAt).UtcTicks)
            .ThenBy(t => t.Id, StringComparer.Ordinal);
        return ordered.Take(Math.Max(0, count)).ToList();
    }
}
