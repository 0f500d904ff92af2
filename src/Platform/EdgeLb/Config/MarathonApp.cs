namespace Minuet.Platform.EdgeLb.Config;

/// <summary>The parts of one Marathon app (from <c>/v2/apps?embed=apps.tasks</c>) that the edge balancer reads.</summary>
internal sealed record MarathonApp(
    string Id,
    int Instances,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<int?> ServicePorts,
    IReadOnlyList<int> ContainerPorts,
    bool IpPerTask,
    IReadOnlyList<MarathonHealthCheck> HealthChecks,
    IReadOnlyList<MarathonTask> Tasks,
    DateTimeOffset? LastScalingAt);

/// <summary>One Marathon health check; <c>Port</c> is the fixed port when the check names one.</summary>
internal sealed record MarathonHealthCheck(
    string Protocol,
    string Path,
    int? PortIndex,
    int? Port,
    int IntervalSeconds,
    int TimeoutSeconds,
    int MaxConsecutiveFailures)
{
    /// <summary>Only offered to templates (<c>{healthCheckGracePeriodSeconds}</c>).</summary>
    public int GracePeriodSeconds { get; init; } = 300;

    public bool IsHttp => Protocol is "HTTP" or "HTTPS" or "MESOS_HTTP" or "MESOS_HTTPS";

    public bool IsTcp => Protocol is "TCP" or "MESOS_TCP";
}

/// <summary>One task; <c>HealthAlive</c> is null when Marathon sent no <c>healthCheckResults</c> at all.</summary>
internal sealed record MarathonTask(
    string Id,
    string Host,
    IReadOnlyList<int> Ports,
    IReadOnlyList<string> IpAddresses,
    string State,
    IReadOnlyList<bool>? HealthAlive)
{
    public bool Draining { get; init; }
}
