using System.Text.Json;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Host-networking ports and port names (docs/docs/networking.md, ports.md).</summary>
internal static partial class AppParser
{
    private static List<PortDefinition> ParsePortDefinitions(JsonFields f, bool containerNetwork)
    {
        if (!f.Has("portDefinitions") && !f.Has("ports"))
        {
            // Marathon (raml/Apps.scala): host networking without ports gets one named "default".
            return containerNetwork ? [] : [new PortDefinition(0, "tcp", "default", new SortedDictionary<string, string>(StringComparer.Ordinal))];
        }

        var list = new List<PortDefinition>();
        if (!f.Has("portDefinitions"))
        {
            foreach (var (item, path) in f.Array("ports"))
            {
                list.Add(new PortDefinition(item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int p) ? p : Bad(f, path), "tcp", null,
                    new SortedDictionary<string, string>(StringComparer.Ordinal)));
            }

            return list;
        }

        foreach (var (item, path) in f.Array("portDefinitions"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                f.Errors.Add(path, "must be an object {port, protocol, name, labels}");
                continue;
            }

            var p = new JsonFields(item, path, f.Errors);
            list.Add(new PortDefinition(PortNumber(p, "port") ?? 0, Protocol(p), PortName(p), p.StringMap("labels")));
        }

        if (containerNetwork && list.Count > 0)
        {
            f.Errors.Add(f.At("portDefinitions"), "portDefinitions are only allowed with host-networking; use container.portMappings with container and bridge networks");
        }

        var fixedPorts = list.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1);
        foreach (var dup in fixedPorts)
        {
            f.Errors.Add(f.At("portDefinitions"), $"port {dup.Key} is defined more than once");
        }

        return list;
    }

    private static void ValidateContainerPorts(JsonFields f, AppDefinition app, bool containerNetwork)
    {
        var mappings = app.Container?.PortMappings ?? [];
        if (!containerNetwork && mappings.Count > 0)
        {
            f.Errors.Add(f.At("container") + "/portMappings", "portMappings are not allowed with host networking; use portDefinitions");
        }

        foreach (var dup in app.Ports.Where(p => p.Name is not null).GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            f.Errors.Add(containerNetwork ? f.At("container") + "/portMappings" : f.At("portDefinitions"), $"port name '{dup.Key}' is used more than once");
        }
    }

    private static int Bad(JsonFields f, string path)
    {
        f.Errors.Add(path, "must be an integer port");
        return 0;
    }

    private static int? PortNumber(JsonFields f, string name)
    {
        var port = f.Int(name);
        if (port is < 0 or > 65535)
        {
            f.Errors.Add(f.At(name), "must be between 0 and 65535");
            return 0;
        }

        return port;
    }

    private static string Protocol(JsonFields f)
    {
        var protocol = f.String("protocol") ?? "tcp";
        if (protocol is not "tcp" and not "udp" and not "udp,tcp" and not "tcp,udp")
        {
            f.Errors.Add(f.At("protocol"), $"'{protocol}' is not one of tcp, udp, udp,tcp");
        }

        return protocol;
    }

    private static string? PortName(JsonFields f)
    {
        var name = f.String("name");
        if (name is not null && !PortNamePattern().IsMatch(name))
        {
            f.Errors.Add(f.At("name"), "must match ^[a-z0-9-]+$");
        }

        return name;
    }

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex PortNamePattern();
}
