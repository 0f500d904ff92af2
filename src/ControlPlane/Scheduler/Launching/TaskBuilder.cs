using System.Globalization;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>
/// Builds the Mesos task for one app instance as Marathon's TaskBuilder does: id <c>group_app.UUID</c>, name and
/// DiscoveryInfo name <c>app.group</c>, app labels as task labels, discovery ports with name, protocol, the port's
/// labels (VIP_n) and <c>network-scope</c>, the environment Marathon sets, and the health check the agent runs (<see cref="TaskChecks.AgentCheckIndex"/>).
/// </summary>
internal static class TaskBuilder
{
    public static string NewTaskId(string appId) => $"{PathIds.SafeId(appId)}.{Guid.NewGuid()}";

    public static TaskSpec Build(AppDefinition app, string taskId, IReadOnlyList<int?> hostPorts, string host)
    {
        var ports = app.Ports;
        var hostOnly = hostPorts.Where(p => p is not null).Select(p => p!.Value).ToList();
        return new TaskSpec
        {
            TaskId = taskId,
            Name = PathIds.Hostname(app.Id),
            Command = Command(app, ports, hostPorts, host, taskId),
            Resources = new ResourceSet
            {
                Cpus = app.Cpus,
                Mem = app.Mem,
                Disk = app.Disk,
                Ports = PortAssigner.ToRanges(hostOnly),
            },
            Labels = app.Labels.Select(l => new Label(l.Key, l.Value)).ToList(),
            Discovery = Discovery(app, ports, hostPorts),
            HealthCheck = TaskChecks.AgentCheckIndex(app) is { } agentCheck ? HealthCheckFor(app, app.HealthChecks[agentCheck], hostPorts) : null,
            Container = app.RunsDocker
                ? DockerContainer.Build(app, hostPorts)
                : app.UsesContainerNetwork
                ? new ContainerInfo { NetworkInfos = [new NetworkInfo { Name = app.Networks.First(n => n.Mode == NetworkMode.Container).Name ?? AppDefaults.TaskNetworkName }] }
                : null,
            KillGracePeriodSeconds = app.TaskKillGracePeriodSeconds,
        };
    }

    private static TaskCommand Command(AppDefinition app, IReadOnlyList<AppPort> ports, IReadOnlyList<int?> hostPorts, string host, string taskId)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MARATHON_APP_ID"] = app.Id,
            ["MARATHON_APP_VERSION"] = AppJsonWriter.Timestamp(app.Version),
            ["MARATHON_APP_RESOURCE_CPUS"] = app.Cpus.ToString(CultureInfo.InvariantCulture),
            ["MARATHON_APP_RESOURCE_MEM"] = app.Mem.ToString(CultureInfo.InvariantCulture),
            ["MARATHON_APP_RESOURCE_DISK"] = app.Disk.ToString(CultureInfo.InvariantCulture),
            ["MESOS_TASK_ID"] = taskId,
            ["HOST"] = host,
        };
        if (app.Container?.DockerImage is { } image)
        {
            env["MARATHON_APP_DOCKER_IMAGE"] = image;
        }

        foreach (var label in app.Labels)
        {
            var key = "MARATHON_APP_LABEL_" + new string(label.Key.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
            env[key] = label.Value;
        }

        // Marathon's port variables follow the app's port order (the agent's follow sorted ranges).
        var portValues = new List<string>();
        for (int i = 0; i < ports.Count; i++)
        {
            int effective = hostPorts[i] ?? ports[i].ContainerPort ?? 0;
            var text = effective.ToString(CultureInfo.InvariantCulture);
            portValues.Add(text);
            env[$"PORT{i}"] = text;

            // Marathon's PORT_<requested>: the container port of a mapping, the fixed port of a port definition.
            int requested = app.UsesPortMappings ? ports[i].ContainerPort ?? 0 : ports[i].ServicePort;
            if (requested != 0)
            {
                env["PORT_" + requested.ToString(CultureInfo.InvariantCulture)] = text;
            }

            if (ports[i].Name is { } name)
            {
                env["PORT_" + name.ToUpperInvariant().Replace('-', '_')] = text;
            }
        }

        if (portValues.Count > 0)
        {
            env["PORT"] = portValues[0];
            env["PORTS"] = string.Join(',', portValues);
        }

        foreach (var (key, value) in app.Env)
        {
            env[key] = value;
        }

        // Marathon: cmd runs through a shell; args become the program's (for Docker: the container's) arguments;
        // a Docker app with neither runs its image's default command.
        return app.Cmd is not null
            ? new TaskCommand { Shell = true, Value = app.Cmd, Environment = env }
            : new TaskCommand { Shell = false, Arguments = app.Args ?? [], Environment = env };
    }

    private static DiscoveryInfo Discovery(AppDefinition app, IReadOnlyList<AppPort> ports, IReadOnlyList<int?> hostPorts)
    {
        var discoveryPorts = new List<DiscoveryPort>();
        for (int i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            // Docker: a port with a host port is reached on the agent, one without only at the container's address.
            bool hostScope = app.RunsDocker ? hostPorts[i] is not null : !app.UsesContainerNetwork;
            int number = hostScope ? hostPorts[i] ?? 0 : port.ContainerPort ?? 0;
            var labels = port.Labels.Select(l => new Label(l.Key, l.Value)).ToList();
            labels.Add(new Label("network-scope", hostScope ? "host" : "container"));
            if (!hostScope && app.Networks.FirstOrDefault(n => n.Mode == NetworkMode.Container)?.Name is { } networkName)
            {
                labels.Add(new Label("network-name", networkName));
            }

            // "udp,tcp" is one Marathon port that Mesos describes as one discovery port per protocol.
            foreach (var protocol in port.Protocol.Split(','))
            {
                discoveryPorts.Add(new DiscoveryPort { Number = number, Name = port.Name, Protocol = protocol, Labels = new LabelList { Labels = labels } });
            }
        }

        return new DiscoveryInfo
        {
            Visibility = "FRAMEWORK",
            Name = PathIds.Hostname(app.Id),
            Ports = new DiscoveryPorts { Ports = discoveryPorts },
        };
    }

    private static HealthCheck HealthCheckFor(AppDefinition app, HealthCheckSpec check, IReadOnlyList<int?> hostPorts)
    {
        int port = check.Port ?? TaskChecks.AgentPortForIndex(app, check.PortIndex ?? 0, hostPorts);
        string type = check.Protocol switch
        {
            "TCP" or "MESOS_TCP" => "TCP",
            "COMMAND" => "COMMAND",
            _ => "HTTP",
        };
        return new HealthCheck
        {
            Type = type,
            DelaySeconds = check.IsMesosLevel ? check.DelaySeconds : 0,
            IntervalSeconds = check.IntervalSeconds,
            TimeoutSeconds = check.TimeoutSeconds,

            // maxConsecutiveFailures 0: Marathon-level checks report but never kill; the agent needs a positive count.
            ConsecutiveFailures = check.MaxConsecutiveFailures > 0 ? check.MaxConsecutiveFailures : AppDefaults.HealthMaxConsecutiveFailures,
            KillOnUnhealthy = check.MaxConsecutiveFailures > 0 || check.IsMesosLevel,
            GracePeriodSeconds = check.GracePeriodSeconds,
            Http = type == "HTTP" ? new HttpCheck { Port = port, Path = check.Path } : null,
            Tcp = type == "TCP" ? new TcpCheck { Port = port } : null,
            Command = type == "COMMAND" ? new CommandCheck { Value = check.Command! } : null,
        };
    }
}
