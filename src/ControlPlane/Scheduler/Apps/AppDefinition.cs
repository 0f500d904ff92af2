namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// A Marathon app definition after parsing and defaulting (mesosphere/marathon app.raml). Immutable: a change makes
/// a new definition with a new <see cref="Version"/>; <see cref="ConfigVersion"/> moves only when tasks must be
/// replaced (anything but <c>instances</c> changed, or a restart).
/// </summary>
internal sealed record AppDefinition
{
    /// <summary>Absolute path id, e.g. <c>/group/app</c>.</summary>
    public required string Id { get; init; }

    public string? Cmd { get; init; }

    public IReadOnlyList<string>? Args { get; init; }

    public int Instances { get; init; } = AppDefaults.Instances;

    public double Cpus { get; init; } = AppDefaults.Cpus;

    public double Mem { get; init; } = AppDefaults.Mem;

    public double Disk { get; init; }

    public double Gpus { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Host-networking ports; Marathon gives one <c>{port: 0, name: "default"}</c> when none are given.</summary>
    public IReadOnlyList<PortDefinition> PortDefinitions { get; init; } = [];

    public bool RequirePorts { get; init; }

    public ContainerSpec? Container { get; init; }

    /// <summary>Network modes: one <c>host</c> (default), or <c>container</c> networks.</summary>
    public IReadOnlyList<NetworkSpec> Networks { get; init; } = [new NetworkSpec(NetworkMode.Host, null)];

    public IReadOnlyList<HealthCheckSpec> HealthChecks { get; init; } = [];

    /// <summary>Deployments wait until new tasks pass these (after health), as Marathon's readiness checks.</summary>
    public IReadOnlyList<ReadinessCheckSpec> ReadinessChecks { get; init; } = [];

    public IReadOnlyList<ConstraintSpec> Constraints { get; init; } = [];

    public UpgradeStrategySpec UpgradeStrategy { get; init; } = UpgradeStrategySpec.Default;

    public double BackoffSeconds { get; init; } = AppDefaults.BackoffSeconds;

    public double BackoffFactor { get; init; } = AppDefaults.BackoffFactor;

    public double MaxLaunchDelaySeconds { get; init; } = AppDefaults.MaxLaunchDelaySeconds;

    public KillSelection KillSelection { get; init; } = KillSelection.YoungestFirst;

    public IReadOnlyList<string> Dependencies { get; init; } = [];

    public IReadOnlyList<string>? AcceptedResourceRoles { get; init; }

    public string? User { get; init; }

    public double? TaskKillGracePeriodSeconds { get; init; }

    public DateTimeOffset Version { get; init; }

    public DateTimeOffset ConfigVersion { get; init; }

    /// <summary>True when the app runs on container networks (tasks get their own IP).</summary>
    public bool UsesContainerNetwork => Networks.Any(n => n.Mode == NetworkMode.Container);

    /// <summary>True when a Docker image runs (type DOCKER, or MESOS with <c>docker.image</c>).</summary>
    public bool RunsDocker => Container?.Docker is not null;

    /// <summary>Bridge or container networking: ports come from <c>container.portMappings</c>, not <c>portDefinitions</c>.</summary>
    public bool UsesPortMappings => UsesContainerNetwork || Networks.Any(n => n.Mode == NetworkMode.ContainerBridge);

    /// <summary>The ports a task declares, whichever networking mode: name, protocol, labels, container and host need.</summary>
    public IReadOnlyList<AppPort> Ports => UsesPortMappings
        ? (Container?.PortMappings ?? []).Select(m => new AppPort(m.Name, m.Protocol, m.Labels, m.ContainerPort, m.HostPort, m.ServicePort)).ToList()
        : PortDefinitions.Select(p => new AppPort(p.Name, p.Protocol, p.Labels, null, RequirePorts && p.Port != 0 ? p.Port : 0, p.Port)).ToList();

    /// <summary>Same definition apart from instances (and versions)? Then a change is a scale, not a restart.</summary>
    public bool SameConfigAs(AppDefinition other) =>
        AppJsonWriter.ConfigJson(this with { Instances = 0, Version = default, ConfigVersion = default }) ==
        AppJsonWriter.ConfigJson(other with { Instances = 0, Version = default, ConfigVersion = default });
}
