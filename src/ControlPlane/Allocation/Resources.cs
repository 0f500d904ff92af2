namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// A bundle of resources: the scalars Mesos shares by DRF (<c>cpus</c>, <c>mem</c> in MB, <c>disk</c> in MB) and
/// the <c>ports</c> ranges. Immutable value; arithmetic rounds scalars to Mesos's fixed point (3 decimals) so
/// repeated add/subtract does not drift.
/// </summary>
public readonly struct Resources : IEquatable<Resources>
{
    private readonly PortSet? _ports;

    public Resources(double cpus, double mem, double disk = 0, PortSet? ports = null)
    {
        Cpus = Fixed(cpus);
        Mem = Fixed(mem);
        Disk = Fixed(disk);
        _ports = ports is { IsEmpty: false } ? ports : null;
    }

    public static Resources Empty => default;

    public double Cpus { get; }

    public double Mem { get; }

    public double Disk { get; }

    public PortSet Ports => _ports ?? PortSet.Empty;

    public bool IsEmpty => Cpus <= 0 && Mem <= 0 && Disk <= 0 && Ports.IsEmpty;

    public bool HasScalars => Cpus > 0 || Mem > 0 || Disk > 0;

    public Resources WithPorts(PortSet ports) => new(Cpus, Mem, Disk, ports);

    public Resources ScalarsOnly() => new(Cpus, Mem, Disk);

    public static Resources operator +(Resources a, Resources b) =>
        new(a.Cpus + b.Cpus, a.Mem + b.Mem, a.Disk + b.Disk, a.Ports.Union(b.Ports));

    /// <summary>Subtraction that never goes below zero (Mesos drops resources that would turn negative).</summary>
    public static Resources operator -(Resources a, Resources b) =>
        new(Math.Max(0, a.Cpus - b.Cpus), Math.Max(0, a.Mem - b.Mem), Math.Max(0, a.Disk - b.Disk), a.Ports.Subtract(b.Ports));

    public static bool operator ==(Resources a, Resources b) => a.Equals(b);

    public static bool operator !=(Resources a, Resources b) => !a.Equals(b);

    public Resources Add(Resources other) => this + other;

    public Resources Subtract(Resources other) => this - other;

    /// <summary>True when <paramref name="other"/> fits inside this bundle (every scalar and every port).</summary>
    public bool Contains(Resources other) =>
        other.Cpus <= Cpus + Epsilon && other.Mem <= Mem + Epsilon && other.Disk <= Disk + Epsilon && Ports.Contains(other.Ports);

    /// <summary>Each scalar capped at <paramref name="cap"/>'s value; ports unchanged.</summary>
    public Resources CapScalars(Resources cap) =>
        new(Math.Min(Cpus, cap.Cpus), Math.Min(Mem, cap.Mem), Math.Min(Disk, cap.Disk), _ports);

    public bool Equals(Resources other) =>
        Cpus == other.Cpus && Mem == other.Mem && Disk == other.Disk && Ports.Equals(other.Ports);

    public override bool Equals(object? obj) => obj is Resources r && Equals(r);

    public override int GetHashCode() => HashCode.Combine(Cpus, Mem, Disk, Ports);

    /// <summary>Mesos's text form, e.g. <c>cpus:2;mem:1024;disk:0;ports:[31000-32000]</c>.</summary>
    public override string ToString() =>
        Ports.IsEmpty ? $"cpus:{Cpus};mem:{Mem};disk:{Disk}" : $"cpus:{Cpus};mem:{Mem};disk:{Disk};ports:{Ports}";

    internal const double Epsilon = 0.0005;

    internal static double Fixed(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);
}
