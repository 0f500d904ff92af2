using System.Text.Json;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>
/// <c>container</c> and <c>networks</c> (Marathon docs/docs/networking.md, native-docker.md), with Marathon 1.4's
/// <c>docker.network</c> / <c>docker.portMappings</c> normalized as AppNormalization.scala does.
/// </summary>
internal static partial class AppParser
{
    private static (ContainerSpec? Container, List<NetworkSpec> Networks) ParseContainerAndNetworks(JsonFields f)
    {
        if (f.Child("container") is not { } c)
        {
            return (null, ParseNetworks(f, null, runsDocker: false));
        }

        var d = c.Child("docker");
        string type = c.String("type") ?? "MESOS";
        if (type is not "MESOS" and not "DOCKER")
        {
            f.Errors.Add(c.At("type"), $"'{type}' is not one of MESOS, DOCKER");
        }

        var docker = ParseDocker(c, d, type);
        var networks = ParseNetworks(f, d, docker is not null);

        bool bridge = networks.Any(n => n.Mode == NetworkMode.ContainerBridge);
        var mappings = ParsePortMappings(c, d, bridge, docker is not null);
        var volumes = ParseVolumes(c, docker is not null);
        return (new ContainerSpec(type, docker, mappings) { Volumes = volumes }, networks);
    }

    private static List<NetworkSpec> ParseNetworks(JsonFields f, JsonFields? docker, bool runsDocker)
    {
        var networks = new List<NetworkSpec>();
        if (docker is { } dk && dk.String("network") is { } legacy)
        {
            var at = dk.At("network");
            if (f.Has("networks"))
            {
                f.Errors.Add(at, "must not specify both container.docker.network and networks");
            }
            else
            {
                switch (legacy)
                {
                    case "BRIDGE":
                        return [new NetworkSpec(NetworkMode.ContainerBridge, null)];
                    case "HOST":
                        return [new NetworkSpec(NetworkMode.Host, null)];
                    case "USER":
                        f.Errors.Add(at, "USER networking needs the network's name: use networks: [{\"mode\": \"container\", \"name\": \"...\"}]");
                        return [new NetworkSpec(NetworkMode.Container, null)];
                    case "NONE":
                        f.Errors.Add(at, "NONE networking is not supported (Marathon refuses it too); use host, container/bridge or container");
                        return [new NetworkSpec(NetworkMode.Host, null)];
                    default:
                        f.Errors.Add(at, $"'{legacy}' is not one of BRIDGE, HOST, USER");
                        return [new NetworkSpec(NetworkMode.Host, null)];
                }
            }
        }

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
                    if (name is not null)
                    {
                        f.Errors.Add(n.At("name"), "Host networks may not have names or labels");
                    }

                    networks.Add(new NetworkSpec(NetworkMode.Host, null));
                    break;
                case "container":
                    if (runsDocker && string.IsNullOrWhiteSpace(name))
                    {
                        f.Errors.Add(n.At("name"), "Network name must be specified when container network is selected (the Docker network to join)");
                    }

                    networks.Add(new NetworkSpec(NetworkMode.Container, name));
                    break;
                case "container/bridge":
                    if (!runsDocker)
                    {
                        f.Errors.Add(n.At("mode"), "container/bridge networking needs a Docker image (container.docker.image): process tasks have no port mapping; use host or container");
                    }

                    if (name is not null)
                    {
                        f.Errors.Add(n.At("name"), "Bridge networks may not have names");
                    }

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

        if (networks.Count > 1 && networks.Any(n => n.Mode != NetworkMode.Container))
        {
            f.Errors.Add(f.At("networks"), "May specify a single host network, single bridge network, or else 1-to-n container networks");
        }
        else if (networks.Count > 1)
        {
            f.Errors.Add(f.At("networks"), "only one container network per task is supported");
        }

        return networks;
    }

    private static List<PortMappingSpec> ParsePortMappings(JsonFields c, JsonFields? docker, bool bridge, bool runsDocker)
    {
        var mappings = new List<PortMappingSpec>();
        JsonFields? source = c.Has("portMappings") ? c : docker is { } d && d.Has("portMappings") ? d : null;
        if (c.Has("portMappings") && docker is { } both && both.Has("portMappings"))
        {
            c.Errors.Add(both.At("portMappings"), "cannot specify both portMappings and docker.portMappings");
        }

        if (source is not { } from)
        {
            return mappings;
        }

        var hostPortPaths = new Dictionary<int, string>();
        foreach (var (item, path) in from.Array("portMappings"))
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                c.Errors.Add(path, "must be an object");
                continue;
            }

            var m = new JsonFields(item, path, c.Errors);
            int containerPort = PortNumber(m, "containerPort") ?? 0;
            int? hostPort = PortNumber(m, "hostPort");
            if (bridge)
            {
                // Marathon: in bridge mode a missing hostPort means "any offered port", as 0 does.
                hostPort ??= 0;
                if (containerPort == 0)
                {
                    c.Errors.Add(m.At("containerPort"), "must be a port between 1 and 65535 in bridge networking (the port the container listens on)");
                }
            }

            if (hostPort is > 0 && runsDocker && !hostPortPaths.TryAdd(hostPort.Value, path))
            {
                c.Errors.Add(m.At("hostPort"), $"host port {hostPort} is already used by {hostPortPaths[hostPort.Value]}: each host port can be mapped once");
            }

            mappings.Add(new PortMappingSpec(containerPort, hostPort, PortNumber(m, "servicePort") ?? 0, Protocol(m), PortName(m), m.StringMap("labels")));
        }

        return mappings;
    }
}
