namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// A health check the agent runs for a task, in Mesos's HealthCheck shape. The scheduler resolves Marathon's
/// <c>portIndex</c> to a concrete port before launch. Defaults are Marathon's (grace 300 s, interval 60 s,
/// timeout 20 s, 3 consecutive failures).
/// </summary>
internal sealed record HealthCheck
{
    /// <summary>HTTP, TCP or COMMAND (Marathon's MESOS_HTTP / MESOS_TCP map to HTTP / TCP).</summary>
    public string Type { get; set; } = "HTTP";

    /// <summary>Seconds after launch before the first probe (Mesos <c>delay_seconds</c>; Marathon checks use 0).</summary>
    public double DelaySeconds { get; init; }

    public double IntervalSeconds { get; set; } = 60;

    public double TimeoutSeconds { get; set; } = 20;

    /// <summary>Failures in a row that make the task unhealthy; 0 = never unhealthy-kill (still reported).</summary>
    public int ConsecutiveFailures { get; set; } = 3;

    /// <summary>Failures before the first success, within this window from launch, are ignored.</summary>
    public double GracePeriodSeconds { get; set; } = 300;

    public HttpCheck? Http { get; init; }

    public TcpCheck? Tcp { get; init; }

    public CommandCheck? Command { get; init; }

    /// <summary>When true the agent kills the task once it turns unhealthy (Mesos-level checks do; Marathon decides otherwise).</summary>
    public bool KillOnUnhealthy { get; init; }
}

/// <summary>HTTP GET to the task's address; 200-399 within the timeout passes.</summary>
internal sealed record HttpCheck
{
    public int Port { get; init; }

    public string Path { get; set; } = "/";

    /// <summary><c>http</c> only.</summary>
    public string Scheme { get; set; } = "http";
}

/// <summary>A TCP connect to the task's address within the timeout passes.</summary>
internal sealed record TcpCheck
{
    public int Port { get; init; }
}

/// <summary>A command run in the task's sandbox (and network namespace); exit 0 within the timeout passes.</summary>
internal sealed record CommandCheck
{
    public required string Value { get; init; }

    /// <summary>True: <c>/bin/sh -c value</c>; false: <c>value</c> is the executable and <see cref="Arguments"/> its argv.</summary>
    public bool Shell { get; set; } = true;

    public IReadOnlyList<string> Arguments { get; set; } = [];
}
