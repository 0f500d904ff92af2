namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>A Marathon health check (healthCheck.raml) with its defaults applied.</summary>
internal sealed record HealthCheckSpec
{
    /// <summary>HTTP, TCP, COMMAND, MESOS_HTTP or MESOS_TCP.</summary>
    public string Protocol { get; init; } = "HTTP";

    public string Path { get; init; } = "/";

    /// <summary>Index into the app's ports (default 0 when neither this nor <see cref="Port"/> is given).</summary>
    public int? PortIndex { get; init; }

    public int? Port { get; init; }

    public string? Command { get; init; }

    public double GracePeriodSeconds { get; init; } = AppDefaults.HealthGracePeriodSeconds;

    public double IntervalSeconds { get; init; } = AppDefaults.HealthIntervalSeconds;

    public double TimeoutSeconds { get; init; } = AppDefaults.HealthTimeoutSeconds;

    public int MaxConsecutiveFailures { get; init; } = AppDefaults.HealthMaxConsecutiveFailures;

    public double DelaySeconds { get; init; } = AppDefaults.HealthDelaySeconds;

    public bool IgnoreHttp1xx { get; init; }

    public bool IsMesosLevel => Protocol.StartsWith("MESOS_", StringComparison.Ordinal);
}
