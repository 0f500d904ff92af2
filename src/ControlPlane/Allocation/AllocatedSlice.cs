namespace Minuet.ControlPlane.Allocation;

/// <summary>Resources held by a framework on an agent (offered or in use), split by reservation.</summary>
public readonly record struct AllocatedSlice(Resources Unreserved, Resources Reserved)
{
    public Resources Total => Unreserved + Reserved;

    public static AllocatedSlice operator +(AllocatedSlice a, AllocatedSlice b) =>
        new(a.Unreserved + b.Unreserved, a.Reserved + b.Reserved);

    public static AllocatedSlice operator -(AllocatedSlice a, AllocatedSlice b) =>
        new(a.Unreserved - b.Unreserved, a.Reserved - b.Reserved);

    public AllocatedSlice Add(AllocatedSlice other) => this + other;

    public AllocatedSlice Subtract(AllocatedSlice other) => this - other;

    /// <summary>
    /// Splits <paramref name="need"/> out of this slice, taking reserved resources first (they can serve only this
    /// role) and the rest unreserved. Null when it does not fit.
    /// </summary>
    public AllocatedSlice? Take(Resources need)
    {
        if (!Total.Contains(need))
        {
            return null;
        }

        var fromReserved = new Resources(
            Math.Min(need.Cpus, Reserved.Cpus), Math.Min(need.Mem, Reserved.Mem), Math.Min(need.Disk, Reserved.Disk),
            Reserved.Ports.Subtract(Reserved.Ports.Subtract(need.Ports)));
        var fromUnreserved = need - fromReserved;
        return new AllocatedSlice(fromUnreserved, fromReserved);
    }
}
