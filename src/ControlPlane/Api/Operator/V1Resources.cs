using System.Text.Json;
using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// Reads Mesos's <c>repeated Resource</c> JSON (cpus, mem, disk as SCALAR; ports as RANGES) into one role's
/// <see cref="Resources"/>. The role is the last of <c>reservations[]</c> (refined format), else <c>role</c>, else
/// <c>*</c>; every resource of one call must name the same role. Errors name the field.
/// </summary>
internal static class V1Resources
{
    public static (Resources Resources, string Role, string? Error) Parse(JsonElement list, string path)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            return (Resources.Empty, "*", $"'{path}' must be an array of Resource");
        }

        double cpus = 0, mem = 0, disk = 0;
        var ports = new List<PortInterval>();
        string? role = null;
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            string at = $"{path}[{index++}]";
            string? name = V1Http.String(item, "name");
            if (name is null)
            {
                return (Resources.Empty, "*", $"'{at}.name' is required");
            }

            string itemRole = V1Http.String(item, "role") ?? "*";
            if (item.TryGetProperty("reservations", out var reservations) && reservations.ValueKind == JsonValueKind.Array && reservations.GetArrayLength() > 0)
            {
                itemRole = V1Http.String(reservations[reservations.GetArrayLength() - 1], "role") ?? itemRole;
            }

            if (role is not null && role != itemRole)
            {
                return (Resources.Empty, "*", $"'{at}' is reserved to role '{itemRole}' but an earlier resource to '{role}': one call takes one role");
            }

            role = itemRole;
            if (name == "ports")
            {
                if (!item.TryGetProperty("ranges", out var ranges) || !ranges.TryGetProperty("range", out var rangeList) || rangeList.ValueKind != JsonValueKind.Array)
                {
                    return (Resources.Empty, "*", $"'{at}.ranges.range' is required for ports");
                }

                foreach (var range in rangeList.EnumerateArray())
                {
                    if (!range.TryGetProperty("begin", out var b) || !range.TryGetProperty("end", out var e)
                        || !b.TryGetUInt32(out uint begin) || !e.TryGetUInt32(out uint end) || end < begin || end > 65535)
                    {
                        return (Resources.Empty, "*", $"'{at}.ranges.range' must hold {{begin, end}} port numbers with begin <= end <= 65535");
                    }

                    ports.Add(new PortInterval(begin, end));
                }

                continue;
            }

            if (!item.TryGetProperty("scalar", out var scalar) || !scalar.TryGetProperty("value", out var valueElement)
                || !TryNumber(valueElement, out double value) || value < 0 || !double.IsFinite(value))
            {
                return (Resources.Empty, "*", $"'{at}.scalar.value' must be a non-negative number");
            }

            switch (name)
            {
                case "cpus": cpus += value; break;
                case "mem": mem += value; break;
                case "disk": disk += value; break;
                default: return (Resources.Empty, "*", $"'{at}.name': resource '{name}' is not supported here (cpus, mem, disk, ports)");
            }
        }

        return (new Resources(cpus, mem, disk, PortSet.Of([.. ports])), role ?? "*", null);
    }

    /// <summary>Mesos's <c>map&lt;string, Value.Scalar&gt;</c> (quota guarantees and limits).</summary>
    public static (Resources Resources, string? Error) ParseScalarMap(JsonElement map, string path)
    {
        if (map.ValueKind != JsonValueKind.Object)
        {
            return (Resources.Empty, $"'{path}' must be an object of name → {{value}}");
        }

        double cpus = 0, mem = 0, disk = 0;
        foreach (var property in map.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Object || !property.Value.TryGetProperty("value", out var v)
                || !TryNumber(v, out double value) || value < 0 || !double.IsFinite(value))
            {
                return (Resources.Empty, $"'{path}.{property.Name}.value' must be a non-negative number");
            }

            switch (property.Name)
            {
                case "cpus": cpus = value; break;
                case "mem": mem = value; break;
                case "disk": disk = value; break;
                default: return (Resources.Empty, $"'{path}.{property.Name}': quota on '{property.Name}' is not supported (cpus, mem, disk)");
            }
        }

        return (new Resources(cpus, mem, disk), null);
    }

    /// <summary>stout accepts numbers and numeric strings for number fields.</summary>
    private static bool TryNumber(JsonElement e, out double value)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.TryGetDouble(out value);
        }

        value = 0;
        return e.ValueKind == JsonValueKind.String
            && double.TryParse(e.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
