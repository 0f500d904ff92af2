using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>What HTTP views may read, only while the scheduler lock is held (inside <see cref="SchedulerCore.Read{T}"/>).</summary>
internal readonly record struct SchedulerReadView(
    IReadOnlyDictionary<string, AppState> Apps,
    IReadOnlyDictionary<string, StoredGroup> Groups,
    IReadOnlyDictionary<string, DeploymentPlan> Deployments)
{
    /// <summary>Apps the user sees (deleted ones still stopping are hidden).</summary>
    public IEnumerable<AppState> VisibleApps => Apps.Values.Where(a => !a.Deleted).OrderBy(a => a.Definition.Id, StringComparer.Ordinal);

    public IEnumerable<DeploymentPlan> DeploymentsOf(string appId) => Deployments.Values.Where(d => d.AffectedApps.Contains(appId));
}
