using System.Text.Json;
using System.Text.Json.Serialization;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>Body of <c>POST /containers/create</c> (Engine API 1.41 names; only the fields this agent sets).</summary>
internal sealed record ContainerCreateBody
{
    public required string Image { get; init; }

    public List<string>? Entrypoint { get; set; }

    public List<string>? Cmd { get; set; }

    public List<string> Env { get; init; } = [];

    public string? WorkingDir { get; set; }

    public string? User { get; set; }

    public string? Hostname { get; set; }

    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }

    /// <summary>Anonymous volumes (a Mesos volume without a host path).</summary>
    public Dictionary<string, EmptyObject>? Volumes { get; set; }

    public required HostConfigBody HostConfig { get; init; }

    public NetworkingConfigBody? NetworkingConfig { get; set; }
}

/// <summary>An empty JSON object (<c>{}</c>), the value type of Docker's set-like maps.</summary>
internal sealed record EmptyObject;

/// <summary>HostConfig of a create body: limits, binds, network, publishing, privileges.</summary>
internal sealed record HostConfigBody
{
    public long CpuShares { get; set; }

    public long Memory { get; set; }

    public long? MemorySwap { get; set; }

    public List<string> Binds { get; init; } = [];

    public required string NetworkMode { get; set; }

    public Dictionary<string, List<PortBindingBody>>? PortBindings { get; set; }

    public bool Privileged { get; set; }

    public List<string>? CapAdd { get; set; }

    public List<string>? CapDrop { get; set; }

    public List<string>? ExtraHosts { get; set; }

    public List<string>? Dns { get; set; }

    public List<string>? DnsSearch { get; set; }

    public List<UlimitBody>? Ulimits { get; set; }

    public long? ShmSize { get; set; }

    public bool? Init { get; set; }
}

internal sealed record PortBindingBody(string HostIp, string HostPort);

internal sealed record UlimitBody(string Name, long Soft, long Hard);

/// <summary>Joins the container to a user network at create time.</summary>
internal sealed record NetworkingConfigBody(Dictionary<string, EmptyObject> EndpointsConfig);

internal sealed record ContainerCreateResponse(string Id, List<string>? Warnings);

/// <summary>The parts of <c>GET /containers/{id}/json</c> the agent reads.</summary>
internal sealed record ContainerInspect
{
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public ContainerStateInfo? State { get; init; }

    public ContainerConfigInfo? Config { get; init; }

    public ContainerHostConfigInfo? HostConfig { get; init; }

    public ContainerNetworkSettings? NetworkSettings { get; init; }
}

internal sealed record ContainerStateInfo
{
    public string Status { get; init; } = string.Empty;

    public bool Running { get; init; }

    public bool OOMKilled { get; init; }

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public string? StartedAt { get; init; }

    public string? FinishedAt { get; init; }
}

internal sealed record ContainerConfigInfo
{
    public Dictionary<string, string>? Labels { get; init; }
}

internal sealed record ContainerHostConfigInfo
{
    public string? NetworkMode { get; init; }
}

internal sealed record ContainerNetworkSettings
{
    public string? IPAddress { get; init; }

    public Dictionary<string, EndpointSettings>? Networks { get; init; }
}

internal sealed record EndpointSettings
{
    public string? IPAddress { get; init; }

    public string? GlobalIPv6Address { get; init; }
}

/// <summary>One row of <c>GET /containers/json</c>.</summary>
internal sealed record ContainerSummary
{
    public string Id { get; init; } = string.Empty;

    public List<string>? Names { get; init; }

    public string? State { get; init; }

    public Dictionary<string, string>? Labels { get; init; }
}

internal sealed record ContainerWaitResponse(long StatusCode, ContainerWaitError? Error);

internal sealed record ContainerWaitError(string? Message);

internal sealed record ExecCreateBody
{
    public bool AttachStdout { get; init; } = true;

    public bool AttachStderr { get; init; } = true;

    public required List<string> Cmd { get; init; }

    public List<string>? Env { get; init; }
}

internal sealed record ExecStartBody(bool Detach, bool Tty);

internal sealed record IdResponse(string Id);

internal sealed record ExecInspect(bool Running, int? ExitCode);

internal sealed record EngineError(string? Message);

/// <summary>A line of a pull's progress stream; <see cref="Error"/> set means the pull failed.</summary>
internal sealed record PullProgress(string? Status, string? Error);

internal sealed record VersionResponse(string? Version, string? ApiVersion);

/// <summary>Engine API JSON: Docker's PascalCase names as written, read case-insensitively, nulls left out.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ContainerCreateBody))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ExecCreateBody))]
[JsonSerializable(typeof(ExecStartBody))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(EngineError))]
[JsonSerializable(typeof(PullProgress))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DockerJsonContext : JsonSerializerContext;
