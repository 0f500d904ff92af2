namespace Minuet.ControlPlane.Allocation;

/// <summary>Allocator knobs with Mesos's defaults.</summary>
public sealed record AllocatorOptions
{
    /// <summary>
    /// <c>min_allocatable_resources</c> = <c>cpus:0.01|mem:32</c>: alternatives, so either minimum makes a bundle
    /// worth offering.
    /// </summary>
    public double MinAllocatableCpus { get; init; } = 0.01;

    public double MinAllocatableMem { get; init; } = 32;

    /// <summary>How long declined resources stay filtered when the framework names no duration (Filters.refuse_seconds).</summary>
    public TimeSpan DefaultRefuse { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Mesos caps refuse_seconds at 365 days.</summary>
    public TimeSpan MaxRefuse { get; init; } = TimeSpan.FromDays(365);
}
