using System.Globalization;
using System.Text.Json;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>Field readers shared by the parser: each returns an error relative to the object it reads, or null.</summary>
public static partial class MesosStateParser
{
    // Task states repeat 10,000 times in a big document: hand out one shared string per known state.
    private static readonly string[] KnownStates =
    [
        "TASK_RUNNING", "TASK_STAGING", "TASK_STARTING", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
        "TASK_KILLING", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_UNREACHABLE", "TASK_GONE",
        "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN",
    ];

    /// <summary>A list sized for the array at <paramref name="property"/>: 10,000 tasks leave no growth slack behind.</summary>
    private static List<T> NewListFor<T>(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? new List<T>(array.GetArrayLength())
            : [];

    private static StateParseError? ForEach(JsonElement parent, string property, Func<JsonElement, int, StateParseError?> parse)
    {
        if (!parent.TryGetProperty(property, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return new StateParseError(property, $"expected an array, got {Describe(array)}");
        }

        int i = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (parse(element, i) is { } error)
            {
                return error.Under($"{property}[{i.ToString(CultureInfo.InvariantCulture)}]");
            }

            i++;
        }

        return null;
    }

    private static StateParseError? OptionalString(JsonElement parent, string property, out string? value)
    {
        value = null;
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return new StateParseError(property, $"expected a string, got {Describe(element)}");
        }

        value = element.GetString();
        return null;
    }

    private static StateParseError? RequiredString(JsonElement parent, string property, out string value)
    {
        value = string.Empty;
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return new StateParseError(property, "required field is missing");
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return new StateParseError(property, $"expected a string, got {Describe(element)}");
        }

        value = element.GetString()!;
        if (value.Length == 0)
        {
            return new StateParseError(property, "must not be empty");
        }

        return null;
    }

    private static StateParseError? RequiredState(JsonElement parent, string property, out string value)
    {
        if (RequiredString(parent, property, out value) is { } error)
        {
            return error;
        }

        foreach (var known in KnownStates)
        {
            if (known == value)
            {
                value = known;
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>resources.ports</c>: the old string form <c>"[31000-31001, 31005-31005]"</c> (empty or <c>"[]"</c> for none),
    /// or the v1 object form <c>{"range":[{"begin":..,"end":..}]}</c> (optionally under <c>ranges</c>).
    /// </summary>
    private static StateParseError? ParsePorts(JsonElement resources, out IReadOnlyList<PortRange> ports)
    {
        ports = [];
        if (!resources.TryGetProperty("ports", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            return PortRangeParser.TryParse(element.GetString()!, out ports, out string? reason)
                ? null
                : new StateParseError("ports", reason!);
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            bool nested = element.TryGetProperty("ranges", out var ranges) && ranges.ValueKind == JsonValueKind.Object;
            var holder = nested ? ranges : element;
            var list = new List<PortRange>();
            ports = list;
            var error = ForEach(holder, "range", (range, i) =>
            {
                if (range.ValueKind != JsonValueKind.Object
                    || !range.TryGetProperty("begin", out var b) || !b.TryGetInt32(out int begin)
                    || !range.TryGetProperty("end", out var e) || !e.TryGetInt32(out int end))
                {
                    return new StateParseError(string.Empty, "expected {\"begin\":port,\"end\":port}");
                }

                if (!PortRangeParser.IsValid(begin, end, out string? reason))
                {
                    return new StateParseError(string.Empty, reason!);
                }

                list.Add(new PortRange(begin, end));
                return null;
            });
            return error?.Under(nested ? "ports.ranges" : "ports");
        }

        return new StateParseError("ports", $"expected a range string like \"[31000-31001]\" or a range object, got {Describe(element)}");
    }

    private static StateParseError? ParseDiscovery(JsonElement element, out DiscoveryInfo? discovery)
    {
        discovery = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(element)}");
        }

        if (OptionalString(element, "name", out string? name) is { } nameError)
        {
            return nameError;
        }

        var ports = new List<DiscoveryPort>();
        if (element.TryGetProperty("ports", out var portsElement) && portsElement.ValueKind != JsonValueKind.Null)
        {
            if (portsElement.ValueKind != JsonValueKind.Object)
            {
                return new StateParseError("ports", $"expected an object with a \"ports\" array, got {Describe(portsElement)}");
            }

            var error = ForEach(portsElement, "ports", (port, i) => ParseDiscoveryPort(port, ports));
            if (error is not null)
            {
                return error.Under("ports");
            }
        }

        discovery = new DiscoveryInfo { Name = name, Ports = ports };
        return null;
    }

    private static StateParseError? ParseDiscoveryPort(JsonElement port, List<DiscoveryPort> ports)
    {
        if (port.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(port)}");
        }

        int number = 0;
        if (port.TryGetProperty("number", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out number) || number is < 0 or > 65535)
            {
                return new StateParseError("number", $"expected a port number 0-65535, got {Describe(n)}");
            }
        }

        if (OptionalString(port, "protocol", out string? protocol) is { } e1)
        {
            return e1;
        }

        if (OptionalString(port, "name", out string? name) is { } e2)
        {
            return e2;
        }

        if (ParseLabels(port, "labels", out var labels) is { } e3)
        {
            return e3;
        }

        ports.Add(new DiscoveryPort { Number = number, Protocol = protocol, Name = name, Labels = labels });
        return null;
    }

    /// <summary>Labels as an array of <c>{key,value}</c> (old Mesos) or as <c>{"labels":[...]}</c> (protobuf JSON).</summary>
    private static StateParseError? ParseLabels(JsonElement parent, string property, out IReadOnlyList<Label> labels)
    {
        labels = [];
        if (!parent.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        string path = property;
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (!element.TryGetProperty("labels", out var inner) || inner.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            element = inner;
            path = property + ".labels";
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            return new StateParseError(path, $"expected an array of {{key,value}}, got {Describe(element)}");
        }

        var list = new List<Label>(element.GetArrayLength());
        int i = 0;
        foreach (var label in element.EnumerateArray())
        {
            if (label.ValueKind != JsonValueKind.Object)
            {
                return new StateParseError($"{path}[{i}]", $"expected an object, got {Describe(label)}");
            }

            if (RequiredString(label, "key", out string key) is { } keyError)
            {
                return keyError.Under($"{path}[{i}]");
            }

            if (OptionalString(label, "value", out string? value) is { } valueError)
            {
                return valueError.Under($"{path}[{i}]");
            }

            list.Add(new Label(key, value ?? string.Empty));
            i++;
        }

        labels = list;
        return null;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}
