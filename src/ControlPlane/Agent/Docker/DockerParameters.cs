using System.Globalization;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// Marathon's <c>docker.parameters</c> (<c>docker run --key=value</c>) mapped onto the create body. Only a safe
/// subset is known; any other key fails the launch naming it. Capability changes count as privilege and need
/// <c>--docker-allow-privileged</c>.
/// </summary>
internal static class DockerParameters
{
    /// <summary>The keys this agent maps (for docs and error messages).</summary>
    public static IReadOnlyList<string> Supported { get; } =
        ["label", "env", "workdir", "user", "hostname", "add-host", "dns", "dns-search", "ulimit", "memory-swap", "shm-size", "init", "cap-add", "cap-drop"];

    public static string? Apply(ContainerCreateBody body, IReadOnlyList<DockerParameter> parameters, bool allowPrivileged)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            string key = (parameter.Key ?? string.Empty).TrimStart('-');
            string value = parameter.Value ?? string.Empty;
            string field = $"container.docker.parameters[{i}] '{key}'";
            string? error = key switch
            {
                "label" or "l" => KeyValue(value, field, (k, v) => body.Labels.TryAdd(k, v)),
                "env" or "e" => KeyValue(value, field, (k, v) => body.Env.Add($"{k}={v}")),
                "workdir" or "w" => Set(() => body.WorkingDir = value),
                "user" or "u" => Set(() => body.User = value),
                "hostname" or "h" => Set(() => body.Hostname = value),
                "add-host" => Set(() => (body.HostConfig.ExtraHosts ??= []).Add(value)),
                "dns" => Set(() => (body.HostConfig.Dns ??= []).Add(value)),
                "dns-search" => Set(() => (body.HostConfig.DnsSearch ??= []).Add(value)),
                "ulimit" => Ulimit(body, value, field),
                "memory-swap" => Bytes(value, field, b => body.HostConfig.MemorySwap = b, allowUnlimited: true),
                "shm-size" => Bytes(value, field, b => body.HostConfig.ShmSize = b, allowUnlimited: false),
                "init" => bool.TryParse(value, out bool init) ? Set(() => body.HostConfig.Init = init) : $"{field}: '{value}' is not true or false",
                "cap-add" or "cap-drop" when !allowPrivileged =>
                    $"{field}: capability changes are not allowed on this agent (start it with --docker-allow-privileged)",
                "cap-add" => Set(() => (body.HostConfig.CapAdd ??= []).Add(value)),
                "cap-drop" => Set(() => (body.HostConfig.CapDrop ??= []).Add(value)),
                "name" => $"{field}: Parameter in DockerInfo must not be 'name' (the agent names containers after the task)",
                _ => $"{field}: unsupported Docker parameter (supported: {string.Join(", ", Supported)})",
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Set(Action apply)
    {
        apply();
        return null;
    }

    private static string? KeyValue(string value, string field, Action<string, string> apply)
    {
        int eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return $"{field}: '{value}' is not KEY=VALUE";
        }

        apply(value[..eq], value[(eq + 1)..]);
        return null;
    }

    /// <summary><c>name=soft[:hard]</c>, as <c>docker run --ulimit</c>.</summary>
    private static string? Ulimit(ContainerCreateBody body, string value, string field)
    {
        int eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return $"{field}: '{value}' is not name=soft[:hard]";
        }

        var limits = value[(eq + 1)..].Split(':');
        if (limits.Length > 2 || !long.TryParse(limits[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long soft))
        {
            return $"{field}: '{value}' is not name=soft[:hard]";
        }

        long hard = soft;
        if (limits.Length == 2 && !long.TryParse(limits[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out hard))
        {
            return $"{field}: '{value}' is not name=soft[:hard]";
        }

        (body.HostConfig.Ulimits ??= []).Add(new UlimitBody(value[..eq], soft, hard));
        return null;
    }

    /// <summary>Docker's size syntax: a number with an optional b, k, m or g suffix; -1 = unlimited where allowed.</summary>
    private static string? Bytes(string value, string field, Action<long> apply, bool allowUnlimited)
    {
        string text = value.Trim().ToLowerInvariant();
        if (allowUnlimited && text == "-1")
        {
            apply(-1);
            return null;
        }

        long unit = 1;
        if (text.Length > 0 && char.IsAsciiLetter(text[^1]))
        {
            unit = text[^1] switch { 'b' => 1, 'k' => 1024, 'm' => 1024 * 1024, 'g' => 1024L * 1024 * 1024, _ => 0 };
            text = text[..^1];
        }

        if (unit == 0 || !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) || number <= 0)
        {
            return $"{field}: '{value}' is not a size (e.g. 512m, 1g)";
        }

        apply(number * unit);
        return null;
    }
}
