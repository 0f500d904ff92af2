using System.Text.Json;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Ports, containers and networks (docs/docs/networking.md).</summary>
internal static partial class AppParser
{
    private static List<NetworkSpec> ParseNetworks(JsonFields f)
    {
        var networks = new List<NetworkSpec>();
        foreach (var (item, path) in f.Array("networks"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                f.Errors.Add(path, "must be an object {mode, name}");
                continue;
            }

            var n = new JsonFields(item, path, f.Errors);
            var name = n.String("name");
            switch (n.String("mode") ?? (name is null ? "host" : "container"))
            {
                case "host":
                    networks.Add(new NetworkSpec(NetworkMode.Host, null));
                    break;
                case "container":
                    networks.Add(new NetworkSpec(NetworkMode.Container, name));
                    break;
                case "container/bridge":
                    f.Errors.Add(n.At("mode"), "container/bridge networking is not supported (agents do no host-to-container port mapping); use host or container");
                    networks.Add(new NetworkSpec(NetworkMode.ContainerBridge, null));
                    break;
                case var other:
                    f.Errors.Add(n.At("mode"), $"'{other}' is not one of host, container, container/bridge");
                    break;
            }
        }

        if (networks.Count == 0)
        {
            return [new NetworkSpec(NetworkMode.Host, null)];
        }

        if (networks.Any(n => n.Mode == NetworkMode.Host) && networks.Count > 1)
        {
            f.Errors.Add(f.At("networks"), "host networking cannot be mixed with other networks");
        }

        if (networks.Count(n => n.Mode == NetworkMode.Container) > 1)
        {
            f.Errors.Add(f.At("networks"), "only one container network per task is supported");
        }

        return networks;
    }

    private static ContainerSpec? ParseContainer(JsonFields f)
    {
        if (f.Child("container") is not { } c)
        {
            return null;
        }

        var type = c.String("type") ?? "MESOS";
        if (type == "DOCKER")
        {
            f.Errors.Add(c.At("type"), "Docker containers are not supported (no Docker engine on Minuet agents); use type MESOS with a cmd");
        }
        else if (type != "MESOS")
        {
            f.Errors.Add(c.At("type"), $"'{type}' is not one of MESOS, DOCKER");
        }

        var docker = c.Child("docker");
        string? image = docker?.String("image");
        if (docker is { } d && d.String("network") is { } legacyNetwork && type != "DOCKER")
        {
            f.Errors.Add(d.At("network"), $"'{legacyNetwork}' is Docker networking, which is not supported; use networks");
        }

        if (c.Array("volumes").Count > 0)
        {
            f.Errors.Add(c.At("volumes"), "volumes are not supported");
        }

        var mappings = new List<PortMappingSpec>();
        var source = c.Has("portMappings") ? c : docker is { } dk && dk.Has("portMappings") ? dk : (JsonFields?)null;
        if (source is { } s)
        {
            foreach (var (item, path) in s.Array("portMappings"))
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    f.Errors.Add(path, "must be an object");
                    continue;
                }

                var m = new JsonFields(item, path, f.Errors);
                mappings.Add(new PortMappingSpec(
                    PortNumber(m, "containerPort") ?? 0,
                    PortNumber(m, "hostPort"),
                    PortNumber(m, "servicePort") ?? 0,
                    Protocol(m),
                    PortName(m),
                    m.StringMap("labels")));
            }
        }

        return new ContainerSpec(type, image, mappings);
    }

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
            f.Errors.Add(f.At("portDefinitions"), "portDefinitions are for host networking; use container.portMappings with container networks");
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
        if (!containerNetwork && mappings.Count > 0 && !app.Networks.Any(n => n.Mode == NetworkMode.ContainerBridge) && app.Container?.Type != "DOCKER")
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
