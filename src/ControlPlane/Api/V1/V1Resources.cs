using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>Between Mesos's resource lists and Minuet's <see cref="ResourceSet"/> (cpus, mem, disk, gpus, ports).</summary>
internal static class V1Resources
{
    public const string Unreserved = "*";

    /// <summary>
    /// An offer's or a task's resources as Mesos lists them: unreserved ones with <c>role: "*"</c>, reserved ones
    /// with their role and a reservation; each with the role they are allocated to.
    /// </summary>
    public static List<V1Resource> ToV1(ResourceSet total, ResourceSet? reserved, string role, string? allocationRole)
    {
        var list = new List<V1Resource>();
        var reservedPart = reserved ?? new ResourceSet();
        var free = (total.ToResources() - reservedPart.ToResources()).ToResourceSet() with { Gpus = Math.Max(0, total.Gpus - reservedPart.Gpus) };
        Add(list, free, Unreserved, allocationRole);
        if (reserved is not null && role != Unreserved)
        {
            Add(list, reservedPart, role, allocationRole);
        }

        return list;
    }

    private static void Add(List<V1Resource> list, ResourceSet set, string role, string? allocationRole)
    {
        var allocation = allocationRole is null ? null : new V1AllocationInfo(allocationRole);
        IReadOnlyList<V1Reservation>? reservations = role == Unreserved ? null : [new V1Reservation { Type = "STATIC", Role = role }];
        foreach (var (name, value) in new[] { ("cpus", set.Cpus), ("mem", set.Mem), ("disk", set.Disk), ("gpus", set.Gpus) })
        {
            if (value > 0)
            {
                list.Add(new V1Resource { Name = name, Type = "SCALAR", Scalar = new V1Scalar(value), Role = role, AllocationInfo = allocation, Reservations = reservations });
            }
        }

        if (set.Ports.Count > 0)
        {
            list.Add(new V1Resource
            {
                Name = "ports",
                Type = "RANGES",
                Ranges = new V1Ranges(set.Ports.Select(p => new V1Range(p.Begin, p.End)).ToList()),
                Role = role,
                AllocationInfo = allocation,
                Reservations = reservations,
            });
        }
    }

    /// <summary>The role a resource is reserved to (last of the refined stack, or the old fields), or <c>*</c>.</summary>
    public static string RoleOf(V1Resource resource) =>
        resource.Reservations is { Count: > 0 } stack && stack[^1].Role is { Length: > 0 } refined ? refined
        : resource.Reservation?.Role is { Length: > 0 } old ? old
        : resource.Role is { Length: > 0 } role ? role
        : Unreserved;

    /// <summary>
    /// Sums a resource list into a <see cref="ResourceSet"/>; every unusable entry (a missing name or type, a value
    /// that does not match the type, a resource kind this cluster does not have) is a field error under
    /// <paramref name="path"/>.
    /// </summary>
    public static ResourceSet Parse(IReadOnlyList<V1Resource>? resources, string path, FieldErrorList errors)
    {
        double cpus = 0, mem = 0, disk = 0, gpus = 0;
        var ports = new List<PortRange>();
        for (int i = 0; i < (resources?.Count ?? 0); i++)
        {
            var r = resources![i];
            string at = $"{path}/{i}";
            if (r is null)
            {
                errors.Add(at, "is null");
                continue;
            }

            if (string.IsNullOrEmpty(r.Name))
            {
                errors.Add(at + "/name", "is required");
                continue;
            }

            if (r.Disk is not null || r.Shared is not null)
            {
                errors.Add(at + "/disk", "persistent volumes and shared resources are not supported");
                continue;
            }

            if (r.Revocable is not null)
            {
                errors.Add(at + "/revocable", "revocable resources are not supported");
                continue;
            }

            switch (r.Name, r.Type)
            {
                case ("cpus" or "mem" or "disk" or "gpus", "SCALAR"):
                    if (r.Scalar is null || double.IsNaN(r.Scalar.Value) || double.IsInfinity(r.Scalar.Value) || r.Scalar.Value < 0)
                    {
                        errors.Add(at + "/scalar", "a finite, non-negative value is required for a SCALAR resource");
                        continue;
                    }

                    double v = r.Scalar.Value;
                    _ = r.Name switch
                    {
                        "cpus" => cpus += v,
                        "mem" => mem += v,
                        "disk" => disk += v,
                        _ => gpus += v,
                    };
                    break;
                case ("ports", "RANGES"):
                    foreach (var range in r.Ranges?.Range ?? [])
                    {
                        if (range is null || range.Begin < 0 || range.End > 65535 || range.Begin > range.End)
                        {
                            errors.Add(at + "/ranges", "each range needs 0 <= begin <= end <= 65535");
                            continue;
                        }

                        ports.Add(new PortRange((int)range.Begin, (int)range.End));
                    }

                    break;
                case ("cpus" or "mem" or "disk" or "gpus" or "ports", _):
                    errors.Add(at + "/type", $"'{r.Name}' must be {(r.Name == "ports" ? "RANGES" : "SCALAR")}, not '{r.Type}'");
                    break;
                default:
                    errors.Add(at + "/name", $"resource '{r.Name}' is not offered by this cluster (cpus, mem, disk, gpus, ports)");
                    break;
            }
        }

        ports.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        return new ResourceSet { Cpus = cpus, Mem = mem, Disk = disk, Gpus = gpus, Ports = Merge(ports) };
    }

    private static List<PortRange> Merge(List<PortRange> sorted)
    {
        var merged = new List<PortRange>();
        foreach (var range in sorted)
        {
            if (merged.Count > 0 && range.Begin <= merged[^1].End + 1)
            {
                merged[^1] = new PortRange(merged[^1].Begin, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }
}
