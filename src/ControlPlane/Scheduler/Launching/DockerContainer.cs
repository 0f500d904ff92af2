using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>
/// The Mesos ContainerInfo of a Docker app's task, as Marathon's ContainerSerializer writes it: the image, the network
/// (<c>host</c> → HOST, <c>container/bridge</c> → BRIDGE, <c>container</c> → USER with the network in
/// <c>network_infos[0].name</c>), one port mapping per protocol of each port that took a host port from the offer,
/// privileged, parameters and bind volumes.
/// </summary>
internal static class DockerContainer
{
    public static ContainerInfo Build(AppDefinition app, IReadOnlyList<int?> hostPorts)
    {
        var spec = app.Container!;
        var docker = spec.Docker!;
        var network = app.Networks[0];
        var mappings = new List<PortMapping>();
        if (app.UsesPortMappings)
        {
            var ports = app.Ports;
            for (int i = 0; i < ports.Count; i++)
            {
                if (hostPorts[i] is not { } hostPort)
                {
                    continue;
                }

                foreach (var protocol in ports[i].Protocol.Split(','))
                {
                    mappings.Add(new PortMapping { HostPort = hostPort, ContainerPort = ports[i].ContainerPort is > 0 and { } c ? c : hostPort, Protocol = protocol });
                }
            }
        }

        return new ContainerInfo
        {
            Type = spec.Type,
            Docker = new DockerInfo
            {
                Image = docker.Image,
                Network = network.Mode switch
                {
                    NetworkMode.ContainerBridge => "BRIDGE",
                    NetworkMode.Container => "USER",
                    _ => "HOST",
                },
                PortMappings = mappings,
                Privileged = docker.Privileged,
                Parameters = docker.Parameters.Select(p => new DockerParameter(p.Key, p.Value)).ToList(),
                ForcePullImage = docker.ForcePullImage,
            },
            Volumes = spec.Volumes.Select(v => new Volume { ContainerPath = v.ContainerPath, HostPath = v.HostPath, Mode = v.Mode }).ToList(),
            NetworkInfos = network.Mode == NetworkMode.Container ? [new NetworkInfo { Name = network.Name }] : [],
        };
    }
}
