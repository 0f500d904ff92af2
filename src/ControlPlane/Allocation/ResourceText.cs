using System.Globalization;

namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// Parses Mesos's agent resource text: <c>cpus:2;mem:2048;disk:1000;ports:[31000-32000]</c>, with optional static
/// reservations such as <c>cpus(ads):8</c>. Errors come back as values naming the entry.
/// </summary>
public static class ResourceText
{
    public static bool TryParse(string? text, out AgentResources resources, out string? error)
    {
        resources = new AgentResources(Resources.Empty);
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "resources are empty (expected e.g. cpus:2;mem:2048;ports:[31000-32000])";
            return false;
        }

        var unreserved = Resources.Empty;
        var reserved = new Dictionary<string, Resources>(StringComparer.Ordinal);
        foreach (var entry in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = $"'{entry}': expected NAME:VALUE";
                return false;
            }

            var name = entry[..colon].Trim();
            var value = entry[(colon + 1)..].Trim();
            string? role = null;
            int paren = name.IndexOf('(', StringComparison.Ordinal);
            if (paren >= 0)
            {
                if (!name.EndsWith(')'))
                {
                    error = $"'{entry}': role must be written NAME(ROLE)";
                    return false;
                }

                role = name[(paren + 1)..^1];
                name = name[..paren];
                if (role == "*")
                {
                    role = null;
                }
                else if (Roles.Validate(role) is { } roleError)
                {
                    error = $"'{entry}': {roleError}";
                    return false;
                }
            }

            Resources parsed;
            if (name == "ports")
            {
                if (!PortSet.TryParse(value, out var ports, out var portError))
                {
                    error = $"'{entry}': {portError}";
                    return false;
                }

                parsed = Resources.Empty.WithPorts(ports);
            }
            else
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) ||
                    amount < 0 || double.IsNaN(amount) || double.IsInfinity(amount))
                {
                    error = $"'{entry}': '{value}' is not a non-negative number";
                    return false;
                }

                switch (name)
                {
                    case "cpus": parsed = new Resources(amount, 0); break;
                    case "mem": parsed = new Resources(0, amount); break;
                    case "disk": parsed = new Resources(0, 0, amount); break;
                    default:
                        error = $"'{entry}': unknown resource '{name}' (known: cpus, mem, disk, ports)";
                        return false;
                }
            }

            if (role is null)
            {
                unreserved += parsed;
            }
            else
            {
                reserved[role] = reserved.GetValueOrDefault(role) + parsed;
            }
        }

        resources = new AgentResources(unreserved, reserved);
        return true;
    }

    /// <summary>The text form of an agent's resources, reservations written <c>cpus(role):N</c>.</summary>
    public static string Format(AgentResources resources)
    {
        var parts = new List<string>();
        AddParts(parts, resources.Unreserved, null);
        foreach (var (role, r) in resources.Reserved.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            AddParts(parts, r, role);
        }

        return string.Join(';', parts);
    }

    private static void AddParts(List<string> parts, Resources r, string? role)
    {
        var suffix = role is null ? string.Empty : $"({role})";
        if (r.Cpus > 0 || role is null)
        {
            parts.Add($"cpus{suffix}:{r.Cpus.ToString(CultureInfo.InvariantCulture)}");
        }

        if (r.Mem > 0 || role is null)
        {
            parts.Add($"mem{suffix}:{r.Mem.ToString(CultureInfo.InvariantCulture)}");
        }

        if (r.Disk > 0)
        {
            parts.Add($"disk{suffix}:{r.Disk.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!r.Ports.IsEmpty)
        {
            parts.Add($"ports{suffix}:{r.Ports}");
        }
    }
}
