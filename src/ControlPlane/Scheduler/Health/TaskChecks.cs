using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Health;

/// <summary>
/// Which of an app's health checks the agent runs and which the scheduler runs, and the per-task check state for
/// both (Marathon: the first Mesos-level check goes with the task, Marathon-level HTTP/TCP checks run from the
/// scheduler).
/// </summary>
internal static class TaskChecks
{
    /// <summary>
    /// The check sent to the agent: the first Mesos-level one (COMMAND, MESOS_HTTP, MESOS_TCP) as Marathon's
    /// TaskBuilder does; without one, the first check, so that the master's task health (what the data plane
    /// follows for DNS and VIPs) reflects a Marathon-level check too. Null without checks.
    /// </summary>
    public static int? AgentCheckIndex(AppDefinition app)
    {
        for (int i = 0; i < app.HealthChecks.Count; i++)
        {
            if (NeedsAgent(app.HealthChecks[i]))
            {
                return i;
            }
        }

        return app.HealthChecks.Count > 0 ? 0 : null;
    }

    /// <summary>The state of every check a task of <paramref name="app"/> runs, with ports resolved.</summary>
    public static List<TaskCheck> HealthFor(AppDefinition app, IReadOnlyList<int?> hostPorts)
    {
        int? agent = AgentCheckIndex(app);
        var checks = new List<TaskCheck>();
        for (int i = 0; i < app.HealthChecks.Count; i++)
        {
            var spec = app.HealthChecks[i];

            // Mesos runs one check per task: further COMMAND checks (which Marathon tolerates) cannot run anywhere.
            if (i != agent && NeedsAgent(spec))
            {
                continue;
            }

            checks.Add(new TaskCheck(i, spec, spec.Port ?? PortForIndex(app, spec.PortIndex ?? 0, hostPorts), onAgent: i == agent));
        }

        return checks;
    }

    public static List<TaskReadiness> ReadinessFor(AppDefinition app, IReadOnlyList<int?> hostPorts)
    {
        var list = new List<TaskReadiness>();
        foreach (var spec in app.ReadinessChecks)
        {
            int index = app.Ports.ToList().FindIndex(p => p.Name == spec.PortName);
            list.Add(new TaskReadiness(spec, PortForIndex(app, index, hostPorts)));
        }

        return list;
    }

    /// <summary>The port a check aims at: the host port, or the container port on a container network.</summary>
    public static int PortForIndex(AppDefinition app, int index, IReadOnlyList<int?> hostPorts)
    {
        var ports = app.Ports;
        if (index < 0 || index >= ports.Count)
        {
            return 0;
        }

        return app.UsesContainerNetwork ? ports[index].ContainerPort ?? 0 : index < hostPorts.Count ? hostPorts[index] ?? 0 : 0;
    }

    /// <summary>
    /// The port the agent's check aims at. A Docker container on a bridge or user network is checked inside its own
    /// network namespace, as the Mesos Docker executor does, so there it is the container port.
    /// </summary>
    public static int AgentPortForIndex(AppDefinition app, int index, IReadOnlyList<int?> hostPorts) =>
        app.RunsDocker && app.UsesPortMappings && index >= 0 && index < app.Ports.Count && app.Ports[index].ContainerPort is > 0 and { } containerPort
            ? containerPort
            : PortForIndex(app, index, hostPorts);

    private static bool NeedsAgent(HealthCheckSpec check) => check.IsMesosLevel || check.Protocol == "COMMAND";
}
