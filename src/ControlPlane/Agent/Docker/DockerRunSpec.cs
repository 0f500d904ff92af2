using System.Globalization;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// Turns a launch into a container create body the way Mesos's <c>docker run</c> options are built
/// (src/docker/docker.cpp <c>RunOptions::create</c>): cpu-shares = max(1024·cpus, 2), memory = max(mem, 32 MiB),
/// the task environment, the sandbox at /mnt/mesos/sandbox, volumes as binds, the network, host port
/// publishing, privileges and the supported parameters. Pure: every refusal is an error message, nothing is sent.
/// </summary>
internal static class DockerRunSpec
{
    private const long MinMemoryBytes = 32L * 1024 * 1024;

    /// <summary>True when the launch goes to the Docker containerizer: type DOCKER, or MESOS with a docker image.</summary>
    public static bool IsDocker(LaunchTaskRequest launch) =>
        launch.Container is { } c && (string.Equals(c.Type, "DOCKER", StringComparison.OrdinalIgnoreCase) || c.Docker is not null);

    public static (ContainerCreateBody? Body, string? Error) Build(LaunchTaskRequest launch, string containerId, string hostname,
        string sandbox, bool allowPrivileged)
    {
        var container = launch.Container!;
        var docker = container.Docker;
        if (docker is null || string.IsNullOrWhiteSpace(docker.Image))
        {
            return (null, "container.docker.image is required for a DOCKER container");
        }

        var hostConfig = new HostConfigBody
        {
            CpuShares = Math.Max((long)(1024 * launch.Resources.Cpus), 2),
            Memory = Math.Max((long)(launch.Resources.Mem * 1024 * 1024), MinMemoryBytes),
            NetworkMode = "host",
            Privileged = docker.Privileged,
        };

        // No swap beyond the memory limit, so an over-limit task is OOM-killed rather than slowly swapped.
        hostConfig.MemorySwap = hostConfig.Memory;
        if (docker.Privileged && !allowPrivileged)
        {
            return (null, "privileged containers are not allowed on this agent (start it with --docker-allow-privileged)");
        }

        string containerName = DockerNames.ContainerName(launch.TaskId);
        var body = new ContainerCreateBody
        {
            Image = docker.Image,
            HostConfig = hostConfig,
            Env = Environment(launch, hostname, containerName),
            Labels =
            {
                [DockerNames.TaskIdLabel] = launch.TaskId,
                [DockerNames.FrameworkIdLabel] = launch.FrameworkId,
                [DockerNames.AgentIdLabel] = launch.AgentId,
                [DockerNames.ContainerIdLabel] = containerId,
                [DockerNames.MesosTaskIdLabel] = launch.TaskId,
            },
        };

        SetCommand(body, launch.Command);
        hostConfig.Binds.Add($"{sandbox}:{DockerNames.SandboxMount}:rw");
        if (AddVolumes(body, container.Volumes ?? [], sandbox) is { } volumeError)
        {
            return (null, volumeError);
        }

        if (SetNetwork(body, container, docker, launch.Resources) is { } networkError)
        {
            return (null, networkError);
        }

        if (DockerParameters.Apply(body, docker.Parameters ?? [], allowPrivileged) is { } parameterError)
        {
            return (null, parameterError);
        }

        return (body, null);
    }

    /// <summary>PORT*, HOST, MESOS_* and the task's own environment; PATH comes from the image, not the agent.</summary>
    private static List<string> Environment(LaunchTaskRequest launch, string hostname, string containerName)
    {
        var env = TaskEnvironment.Build(launch, hostname, DockerNames.SandboxMount, path: null);
        if (launch.Command.Environment is null || !launch.Command.Environment.ContainsKey("PATH"))
        {
            env.Remove("PATH");
        }

        env["MESOS_CONTAINER_NAME"] = containerName;
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    /// <summary>
    /// shell: <c>--entrypoint /bin/sh</c> with <c>-c value</c> (overrides the image's entrypoint, MESOS-1770);
    /// otherwise value and arguments become the container's arguments after the image's entrypoint; neither = image CMD.
    /// </summary>
    private static void SetCommand(ContainerCreateBody body, CommandInfo command)
    {
        if (command.Shell)
        {
            if (!string.IsNullOrEmpty(command.Value))
            {
                body.Entrypoint = ["/bin/sh", "-c"];
                body.Cmd = [command.Value];
            }

            return;
        }

        var args = new List<string>();
        if (!string.IsNullOrEmpty(command.Value))
        {
            args.Add(command.Value);
        }

        args.AddRange(command.Arguments ?? []);
        if (args.Count > 0)
        {
            body.Cmd = args;
        }
    }

    private static string? AddVolumes(ContainerCreateBody body, IReadOnlyList<Volume> volumes, string sandbox)
    {
        for (int i = 0; i < volumes.Count; i++)
        {
            var volume = volumes[i];
            if (string.IsNullOrWhiteSpace(volume.ContainerPath))
            {
                return $"container.volumes[{i}].container_path is required";
            }

            string mode = (volume.Mode ?? "RW").ToUpperInvariant() switch
            {
                "RW" => "rw",
                "RO" => "ro",
                _ => string.Empty,
            };
            if (mode.Length == 0)
            {
                return $"container.volumes[{i}].mode '{volume.Mode}' is not RW or RO";
            }

            // A relative container path is inside the sandbox mount, as Mesos resolves it.
            string containerPath = volume.ContainerPath.StartsWith('/') ? volume.ContainerPath : $"{DockerNames.SandboxMount}/{volume.ContainerPath}";
            if (string.IsNullOrEmpty(volume.HostPath))
            {
                body.Volumes ??= [];
                body.Volumes[containerPath] = new EmptyObject();
                continue;
            }

            // A relative host path lives in the sandbox (Mesos: "relative to the sandbox").
            string hostPath = Path.IsPathRooted(volume.HostPath) ? volume.HostPath : Path.Combine(sandbox, volume.HostPath);
            if (hostPath.Contains(':', StringComparison.Ordinal) || containerPath.Contains(':', StringComparison.Ordinal))
            {
                return $"container.volumes[{i}]: paths must not contain ':'";
            }

            body.HostConfig.Binds.Add($"{hostPath}:{containerPath}:{mode}");
        }

        return null;
    }

    private static string? SetNetwork(ContainerCreateBody body, ContainerInfo container, DockerInfo docker, ResourceSet resources)
    {
        string network = (docker.Network ?? "HOST").ToUpperInvariant();
        switch (network)
        {
            case "HOST":
                body.HostConfig.NetworkMode = "host";
                break;
            case "BRIDGE":
                body.HostConfig.NetworkMode = "bridge";
                break;
            case "NONE":
                body.HostConfig.NetworkMode = "none";
                break;
            case "USER":
                var named = (container.NetworkInfos ?? []).Where(n => !string.IsNullOrEmpty(n.Name)).ToList();
                if (named.Count != 1)
                {
                    return "container.docker.network USER needs exactly one container.network_infos[].name (the Docker network to join)";
                }

                body.HostConfig.NetworkMode = named[0].Name!;
                body.NetworkingConfig = new NetworkingConfigBody(new Dictionary<string, EmptyObject> { [named[0].Name!] = new() });
                break;
            default:
                return $"container.docker.network '{docker.Network}' is not HOST, BRIDGE, USER or NONE";
        }

        var mappings = docker.PortMappings ?? [];
        if (mappings.Count == 0)
        {
            return null;
        }

        if (network is "HOST" or "NONE")
        {
            return "container.docker.port_mappings: port mappings are only supported for bridge and user-defined networks";
        }

        var offered = resources.EnumeratePorts().ToHashSet();
        body.ExposedPorts = [];
        body.HostConfig.PortBindings = [];
        for (int i = 0; i < mappings.Count; i++)
        {
            var mapping = mappings[i];
            string protocol = (mapping.Protocol ?? "tcp").ToLowerInvariant();
            if (protocol is not ("tcp" or "udp"))
            {
                return $"container.docker.port_mappings[{i}].protocol '{mapping.Protocol}' is not tcp or udp";
            }

            if (mapping.ContainerPort is < 1 or > 65535)
            {
                return $"container.docker.port_mappings[{i}].container_port {mapping.ContainerPort} is not a port";
            }

            if (!offered.Contains(mapping.HostPort))
            {
                return $"container.docker.port_mappings[{i}].host_port: Port [{mapping.HostPort}] not included in resources";
            }

            string key = $"{mapping.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{protocol}";
            body.ExposedPorts[key] = new EmptyObject();
            if (!body.HostConfig.PortBindings.TryGetValue(key, out var bindings))
            {
                body.HostConfig.PortBindings[key] = bindings = [];
            }

            bindings.Add(new PortBindingBody(string.Empty, mapping.HostPort.ToString(CultureInfo.InvariantCulture)));
        }

        return null;
    }
}
