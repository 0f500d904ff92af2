using System.Text.Json;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// Parses a Mesos-compatible <c>/master/state</c> document (old and new Mesos shapes) into a <see cref="ClusterState"/>.
/// Never throws: a bad document gives a <see cref="StateParseError"/> naming the field path and the reason.
/// Missing optional fields take defaults as Mesos-DNS's decoder does; fields of the wrong type are errors.
/// </summary>
public static partial class MesosStateParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 64,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Parses <paramref name="utf8Json"/>; <paramref name="version"/> becomes <see cref="ClusterState.Version"/>.</summary>
    public static StateParseResult Parse(ReadOnlyMemory<byte> utf8Json, long version = 0)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return StateParseResult.Fail("$", "not valid JSON: " + ex.Message);
        }

        using (document)
        {
            return ParseRootSafely(document.RootElement, version);
        }
    }

    private static StateParseResult ParseRootSafely(JsonElement root, long version)
    {
        try
        {
            t_shared = new Dictionary<string, string>(StringComparer.Ordinal);
            return ParseRoot(root, version);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            // Defensive: a shape the checks below missed must still come back as a value, not a crash.
            return StateParseResult.Fail("$", "unexpected document shape: " + ex.Message);
        }
        finally
        {
            t_shared = null;
        }
    }

    // Strings of the parse in progress that many tasks repeat (a parse runs on one thread from start to end).
    [ThreadStatic]
    private static Dictionary<string, string>? t_shared;

    private static string Shared(string value)
    {
        if (t_shared is null)
        {
            return value;
        }

        ref string? slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(t_shared, value, out _);
        return slot ??= value;
    }

    private static StateParseResult ParseRoot(JsonElement root, long version)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return StateParseResult.Fail("$", $"expected an object, got {Describe(root)}");
        }

        // Any other JSON object (an error body from a proxy, say) must not pass for an empty cluster and wipe
        // every record: a state document names its agents and frameworks, even when there are none.
        if (!root.TryGetProperty("frameworks", out _) && !root.TryGetProperty("slaves", out _))
        {
            return StateParseResult.Fail("$", "not a Mesos state document: it has neither \"frameworks\" nor \"slaves\"");
        }

        if (OptionalString(root, "leader", out string? leader) is { } leaderError)
        {
            return new(null, leaderError);
        }

        var agents = NewListFor<AgentInfo>(root, "slaves");
        if (ForEach(root, "slaves", (element, i) => ParseAgent(element, agents)) is { } agentError)
        {
            return new(null, agentError);
        }

        var frameworks = NewListFor<FrameworkInfo>(root, "frameworks");
        if (ForEach(root, "frameworks", (element, i) => ParseFramework(element, frameworks)) is { } frameworkError)
        {
            return new(null, frameworkError);
        }

        return StateParseResult.Ok(new ClusterState
        {
            Leader = string.IsNullOrEmpty(leader) ? null : leader,
            Agents = agents,
            Frameworks = frameworks,
            Version = version,
        });
    }

    private static StateParseError? ParseAgent(JsonElement element, List<AgentInfo> agents)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(element)}");
        }

        if (RequiredString(element, "id", out string id) is { } e1)
        {
            return e1;
        }

        if (OptionalString(element, "hostname", out string? hostname) is { } e2)
        {
            return e2;
        }

        if (OptionalString(element, "pid", out string? pid) is { } e3)
        {
            return e3;
        }

        agents.Add(new AgentInfo { Id = id, Hostname = hostname ?? string.Empty, Pid = pid });
        return null;
    }

    private static StateParseError? ParseFramework(JsonElement element, List<FrameworkInfo> frameworks)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(element)}");
        }

        if (OptionalString(element, "id", out string? id) is { } e1)
        {
            return e1;
        }

        if (OptionalString(element, "name", out string? name) is { } e2)
        {
            return e2;
        }

        if (OptionalString(element, "pid", out string? pid) is { } e3)
        {
            return e3;
        }

        if (OptionalString(element, "hostname", out string? hostname) is { } e4)
        {
            return e4;
        }

        var tasks = NewListFor<TaskInfo>(element, "tasks");
        string frameworkId = id ?? string.Empty;
        if (ForEach(element, "tasks", (task, i) => ParseTask(task, frameworkId, tasks)) is { } taskError)
        {
            return taskError;
        }

        frameworks.Add(new FrameworkInfo
        {
            Id = frameworkId,
            Name = name ?? string.Empty,
            Pid = string.IsNullOrEmpty(pid) ? null : pid,
            Hostname = hostname,
            Tasks = tasks.Count == 0 ? [] : tasks,
        });
        return null;
    }

    private static StateParseError? ParseTask(JsonElement element, string frameworkId, List<TaskInfo> tasks)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(element)}");
        }

        if (RequiredString(element, "id", out string id) is { } e1)
        {
            return e1;
        }

        if (OptionalString(element, "name", out string? name) is { } e2)
        {
            return e2;
        }

        if (OptionalString(element, "framework_id", out string? taskFrameworkId) is { } e3)
        {
            return e3;
        }

        if (RequiredString(element, "slave_id", out string agentId) is { } e4)
        {
            return e4;
        }

        if (RequiredState(element, "state", out string state) is { } e5)
        {
            return e5;
        }

        IReadOnlyList<PortRange> ports = [];
        if (element.TryGetProperty("resources", out var resources) && resources.ValueKind != JsonValueKind.Null)
        {
            if (resources.ValueKind != JsonValueKind.Object)
            {
                return new StateParseError("resources", $"expected an object, got {Describe(resources)}");
            }

            if (ParsePorts(resources, out ports) is { } portError)
            {
                return portError.Under("resources");
            }
        }

        DiscoveryInfo? discovery = null;
        if (element.TryGetProperty("discovery", out var discoveryElement) && discoveryElement.ValueKind != JsonValueKind.Null)
        {
            if (ParseDiscovery(discoveryElement, out discovery) is { } discoveryError)
            {
                return discoveryError.Under("discovery");
            }
        }

        var statuses = NewListFor<TaskStatusInfo>(element, "statuses");
        if (ForEach(element, "statuses", (status, i) => ParseStatus(status, statuses)) is { } statusError)
        {
            return statusError;
        }

        if (ParseLabels(element, "labels", out var labels) is { } labelError)
        {
            return labelError;
        }

        tasks.Add(new TaskInfo
        {
            Id = id,
            // A state of 100,000 tasks repeats its agent ids, framework id and app names (three tasks per app) tens of
            // thousands of times; one string each, and arrays instead of lists, keep about 20 MB less resident.
            Name = Shared(name ?? string.Empty),
            FrameworkId = string.IsNullOrEmpty(taskFrameworkId) || taskFrameworkId == frameworkId ? frameworkId : taskFrameworkId,
            AgentId = Shared(agentId),
            State = state,
            Ports = ports.Count == 0 ? [] : ports.ToArray(),
            Discovery = discovery,
            Statuses = statuses.Count == 0 ? [] : statuses.ToArray(),
            Labels = labels,
            HasHealthCheck = element.TryGetProperty("health_check", out var healthCheck) && healthCheck.ValueKind == JsonValueKind.Object,
        });
        return null;
    }

    private static StateParseError? ParseStatus(JsonElement element, List<TaskStatusInfo> statuses)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StateParseError(string.Empty, $"expected an object, got {Describe(element)}");
        }

        if (RequiredState(element, "state", out string state) is { } e1)
        {
            return e1;
        }

        double timestamp = 0;
        if (element.TryGetProperty("timestamp", out var ts) && ts.ValueKind != JsonValueKind.Null)
        {
            if (ts.ValueKind != JsonValueKind.Number || !ts.TryGetDouble(out timestamp))
            {
                return new StateParseError("timestamp", $"expected a number, got {Describe(ts)}");
            }
        }

        bool? healthy = null;
        if (element.TryGetProperty("healthy", out var h) && h.ValueKind != JsonValueKind.Null)
        {
            if (h.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return new StateParseError("healthy", $"expected true or false, got {Describe(h)}");
            }

            healthy = h.ValueKind == JsonValueKind.True;
        }

        if (ParseLabels(element, "labels", out var labels) is { } labelError)
        {
            return labelError;
        }

        IReadOnlyList<string> addresses = [];
        if (element.TryGetProperty("container_status", out var container) && container.ValueKind != JsonValueKind.Null)
        {
            if (container.ValueKind != JsonValueKind.Object)
            {
                return new StateParseError("container_status", $"expected an object, got {Describe(container)}");
            }

            if (ParseNetworkInfos(container, out addresses) is { } netError)
            {
                return netError.Under("container_status");
            }
        }

        statuses.Add(new TaskStatusInfo
        {
            State = state,
            Timestamp = timestamp,
            Healthy = healthy,
            Labels = labels,
            NetworkIpAddresses = addresses.Count == 0 ? [] : addresses.ToArray(),
        });
        return null;
    }

    private static StateParseError? ParseNetworkInfos(JsonElement container, out IReadOnlyList<string> addresses)
    {
        var list = new List<string>();
        addresses = list;
        return ForEach(container, "network_infos", (info, i) =>
        {
            if (info.ValueKind != JsonValueKind.Object)
            {
                return new StateParseError(string.Empty, $"expected an object, got {Describe(info)}");
            }

            int before = list.Count;
            var error = ForEach(info, "ip_addresses", (address, j) =>
            {
                if (address.ValueKind != JsonValueKind.Object)
                {
                    return new StateParseError(string.Empty, $"expected an object, got {Describe(address)}");
                }

                if (OptionalString(address, "ip_address", out string? ip) is { } e)
                {
                    return e;
                }

                if (!string.IsNullOrEmpty(ip))
                {
                    list.Add(ip);
                }

                return null;
            });
            if (error is not null)
            {
                return error;
            }

            // Mesos 0.25 wrote a single ip_address on the network info itself; use it only when the list is absent.
            if (list.Count == before)
            {
                if (OptionalString(info, "ip_address", out string? legacy) is { } e)
                {
                    return e;
                }

                if (!string.IsNullOrEmpty(legacy))
                {
                    list.Add(legacy);
                }
            }

            return null;
        });
    }
}
