namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>Marathon's defaults (mesosphere/marathon app.raml, healthCheck.raml, state/UpgradeStrategy.scala).</summary>
internal static class AppDefaults
{
    public const int Instances = 1;
    public const double Cpus = 1;
    public const double Mem = 128;
    public const double BackoffSeconds = 1;
    public const double BackoffFactor = 1.15;
    public const double MaxLaunchDelaySeconds = 300;
    public const double HealthGracePeriodSeconds = 300;
    public const double HealthIntervalSeconds = 60;
    public const double HealthTimeoutSeconds = 20;
    public const int HealthMaxConsecutiveFailures = 3;

    /// <summary>Mesos-level checks (MESOS_HTTP, MESOS_TCP) wait this long before the first probe.</summary>
    public const double HealthDelaySeconds = 15;

    /// <summary>Service ports for <c>port: 0</c> come from this range (Marathon <c>local_port_min..max</c>).</summary>
    public const int ServicePortMin = 10000;
    public const int ServicePortMax = 20000;

    /// <summary>The task network a <c>container</c> network without a name runs on (the agent's <c>--task-network</c>).</summary>
    public const string TaskNetworkName = "minuet";
}
