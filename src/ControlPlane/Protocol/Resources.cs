using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Protocol;

/// <summary>An inclusive port range, e.g. 31000-32000 (Mesos prints ranges as <c>[31000-32000]</c>; the wire carries them structured).</summary>
internal sealed record PortRange(int Begin, int End)
{
    [JsonIgnore]
    public int Count => End - Begin + 1;

    public override string ToString() => $"{Begin}-{End}";
}

/// <summary>A bundle of resources: scalars plus port ranges. Used for agent totals, reservations and task needs.</summary>
internal sealed record ResourceSet
{
    public double Cpus { get; init; }

    /// <summary>Megabytes.</summary>
    public double Mem { get; init; }

    /// <summary>Megabytes.</summary>
    public double Disk { get; init; }

    public double Gpus { get; init; }

    /// <summary>Sorted, non-overlapping ranges. For a task these are exactly the host ports it was assigned.</summary>
    public IReadOnlyList<PortRange> Ports { get; set; } = [];

    /// <summary>Every port in the ranges, in order (PORT0..n follow this order).</summary>
    public IEnumerable<int> EnumeratePorts()
    {
        foreach (var range in Ports)
        {
            for (int port = range.Begin; port <= range.End; port++)
            {
                yield return port;
            }
        }
    }

    /// <summary>Mesos's ranges string, e.g. <c>[31000-31005, 31010-31010]</c>; empty ranges give <c>[]</c>.</summary>
    public string PortsToMesosString() => "[" + string.Join(", ", Ports.Select(r => r.ToString())) + "]";
}
