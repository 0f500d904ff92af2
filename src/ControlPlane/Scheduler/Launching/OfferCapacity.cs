using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>What is left of one offer while tasks are packed into it.</summary>
internal sealed class OfferCapacity
{
    public OfferCapacity(OfferInfo offer)
    {
        Offer = offer;
        Cpus = offer.Resources.Cpus;
        Mem = offer.Resources.Mem;
        Disk = offer.Resources.Disk;
        FreePorts = PortAssigner.Expand(offer.Resources.Ports);
        Target = new PlacementTarget(offer.Hostname, offer.Attributes);
    }

    public OfferInfo Offer { get; }

    public PlacementTarget Target { get; }

    public double Cpus { get; private set; }

    public double Mem { get; private set; }

    public double Disk { get; private set; }

    public SortedSet<int> FreePorts { get; }

    /// <summary>
    /// Takes one instance of <paramref name="app"/> if resources, ports, roles and constraints allow; returns the
    /// host ports (one per app port), or null with every reason in Marathon's terms (<see cref="OfferReasons"/>).
    /// </summary>
    public (List<int?>? Ports, IReadOnlyList<string> Reasons) TryTake(AppDefinition app, IReadOnlyList<PlacementTarget> placed, IReadOnlyList<PlacementTarget>? offered = null)
    {
        const double Epsilon = 1e-9;
        var reasons = new List<string>();
        if (app.AcceptedResourceRoles is { Count: > 0 } roles && !roles.Contains(Offer.Role) && !roles.Contains("*"))
        {
            reasons.Add(OfferReasons.UnfulfilledRole);
        }

        if (!ConstraintMatcher.Matches(app.Constraints, Target, placed, offered))
        {
            reasons.Add(OfferReasons.UnfulfilledConstraint);
        }

        if (Cpus + Epsilon < app.Cpus)
        {
            reasons.Add(OfferReasons.InsufficientCpus);
        }

        if (Mem + Epsilon < app.Mem)
        {
            reasons.Add(OfferReasons.InsufficientMemory);
        }

        if (Disk + Epsilon < app.Disk)
        {
            reasons.Add(OfferReasons.InsufficientDisk);
        }

        var ports = PortAssigner.Assign(app.Ports, FreePorts);
        if (ports is null)
        {
            reasons.Add(OfferReasons.InsufficientPorts);
        }

        if (reasons.Count > 0 || ports is null)
        {
            return (null, reasons);
        }

        Cpus -= app.Cpus;
        Mem -= app.Mem;
        Disk -= app.Disk;
        foreach (var p in ports)
        {
            if (p is { } port)
            {
                FreePorts.Remove(port);
            }
        }

        return (ports, []);
    }
}
