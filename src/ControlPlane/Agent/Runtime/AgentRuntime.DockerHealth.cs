using System.Net;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Health;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Docker tasks' health probes and the addresses their status updates report.</summary>
internal sealed partial class AgentRuntime
{
    /// <summary>
    /// COMMAND checks run inside the container (exec); HTTP/TCP go to 127.0.0.1 when the port is a published host
    /// port or the container shares the host network, else to the container's own IP.
    /// </summary>
    private void StartDockerHealthCheck(AgentTask task, HealthCheck check, double startedAt, bool? healthy)
    {
        string? container;
        string? ip;
        lock (task.Gate)
        {
            container = task.DockerContainer;
            ip = task.IpAddress;
        }

        if (container is null || _docker is null)
        {
            return;
        }

        var mappings = task.Launch.Container?.Docker?.PortMappings ?? [];
        IPAddress AddressFor(int port) =>
            mappings.Any(m => m.HostPort == port) || ip is null || !IPAddress.TryParse(ip, out var own) ? IPAddress.Loopback : own;
        string? netns = _docker.Options.ProbeNetns;
        IHealthProbe probe = check.Type switch
        {
            "TCP" => new TcpProbe(AddressFor(check.Tcp!.Port), check.Tcp.Port, netns),
            "HTTP" => new HttpProbe(AddressFor(check.Http!.Port), check.Http.Port, check.Http.Path, netns),
            _ => new DockerExecProbe(_docker.Engine, container, DockerExecProbe.Argv(check.Command!)),
        };
        var tracker = new HealthTracker(check, startedAt, healthy);
        Track(() => HealthCheckRunner.RunAsync(check, probe, tracker, (verdict, cause) => OnHealthVerdict(task, verdict, cause),
            _time, task.Lifetime.Token));
    }

    /// <summary>The container's IP on its Docker network (bridge: no name, user: the network's name); host mode: the agent's address.</summary>
    private ContainerStatus DockerContainerStatusOf(AgentTask task)
    {
        var mappings = task.Launch.Container?.Docker?.PortMappings ?? [];
        var network = task.IpAddress is { } ip
            ? new NetworkInfo
            {
                Name = task.DockerNetwork,
                IpAddresses = [new IpAddressInfo { IpAddress = ip }],
                PortMappings = mappings.Select(m => m with { Protocol = (m.Protocol ?? "tcp").ToLowerInvariant() }).ToList(),
            }
            : new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = _options.Address }] };
        return new ContainerStatus { ContainerId = new ContainerId(task.ContainerId), NetworkInfos = [network] };
    }
}
