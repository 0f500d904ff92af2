namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>How a restart replaces tasks: keep ≥ ceil(instances × min health), run ≤ instances × (1 + over capacity).</summary>
internal sealed record UpgradeStrategySpec(double MinimumHealthCapacity, double MaximumOverCapacity)
{
    public static UpgradeStrategySpec Default { get; } = new(1, 1);
}
