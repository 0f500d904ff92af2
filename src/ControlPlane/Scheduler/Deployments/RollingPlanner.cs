using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>How many old tasks to kill and new ones to launch now.</summary>
internal readonly record struct RollingStep(int Kill, int Launch);

/// <summary>
/// One decision of a rolling replacement (Marathon's TaskReplaceActor): keep at least ceil(instances × minimum
/// health capacity) healthy tasks, never run more than instances × (1 + maximum over capacity), old or new.
/// </summary>
internal static class RollingPlanner
{
    /// <param name="instances">Target instance count.</param>
    /// <param name="strategy">The app's upgrade strategy.</param>
    /// <param name="oldLive">Old-version tasks still live and not yet asked to die.</param>
    /// <param name="oldHealthy">Of those, healthy ones.</param>
    /// <param name="newLive">New-version live tasks (any state).</param>
    /// <param name="newHealthy">Of those, healthy ones.</param>
    /// <param name="killing">Tasks asked to die that have not ended (they still take capacity).</param>
    public static RollingStep Next(int instances, UpgradeStrategySpec strategy, int oldLive, int oldHealthy, int newLive, int newHealthy, int killing)
    {
        int minHealthy = MinHealthy(instances, strategy);
        int maxCapacity = MaxCapacity(instances, strategy);
        int healthy = oldHealthy + newHealthy;

        // No room to start and nothing may stop (e.g. 100% health with 0% over capacity, or 3 × 0.7 rounding up to
        // 3): Marathon's TaskReplaceActor allows a temporary over-capacity of one instance, so the floor holds.
        if (minHealthy == maxCapacity && maxCapacity <= healthy)
        {
            maxCapacity++;
        }

        // Old tasks that are not healthy serve nobody: they can go at once. Healthy old ones only above the floor.
        int kill = (oldLive - oldHealthy) + Math.Min(oldHealthy, Math.Max(0, healthy - minHealthy));
        int totalAfter = oldLive - kill + newLive + killing;
        int launch = Math.Max(0, Math.Min(instances - newLive, maxCapacity - totalAfter));
        return new RollingStep(kill, launch);
    }

    public static int MinHealthy(int instances, UpgradeStrategySpec strategy) =>
        (int)Math.Ceiling((instances * strategy.MinimumHealthCapacity) - 1e-9);

    public static int MaxCapacity(int instances, UpgradeStrategySpec strategy) =>
        Math.Max(instances, instances + (int)Math.Floor((instances * strategy.MaximumOverCapacity) + 1e-9));
}
