using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>The launch → container create body mapping, without a daemon.</summary>
public sealed class DockerRunSpecTests
{
    private static LaunchTaskRequest Launch(string network = "BRIDGE", IReadOnlyList<PortMapping>? mappings = null, IReadOnlyList<DockerParameter>? parameters = null,
        IReadOnlyList<Volume>? volumes = null, bool privileged = false, CommandInfo? command = null)
    {
        var launch = AgentHarness.Shell("echo hi", ports: [new PortRange(31000, 31001)]);
        return launch with
        {
            Command = command ?? launch.Command,
            Resources = launch.Resources with { Cpus = 0.5, Mem = 128 },
            Container = new ContainerInfo
            {
                Type = "DOCKER",
                Docker = new DockerInfo { Image = "nginx:1.25", Network = network, PortMappings = mappings ?? [], Parameters = parameters ?? [], Privileged = privileged },
                Volumes = volumes ?? [],
                NetworkInfos = network == "USER" ? [new NetworkInfo { Name = "apps" }] : [],
            },
        };
    }

    private static ContainerCreateBody Build(LaunchTaskRequest launch, bool allowPrivileged = false)
    {
        var (body, error) = DockerRunSpec.Build(launch, "cid-1", "agent1", "/work/sandboxes/t", allowPrivileged);
        Assert.True(body is not null, error);
        return body!;
    }

    private static string BuildError(LaunchTaskRequest launch, bool allowPrivileged = false)
    {
        var (body, error) = DockerRunSpec.Build(launch, "cid-1", "agent1", "/work/sandboxes/t", allowPrivileged);
        Assert.Null(body);
        return error!;
    }

    [Fact]
    public void Build_Bridge_LimitsEnvLabelsSandboxAndHostPortBindings()
    {
        var launch = Launch(mappings: [new PortMapping { HostPort = 31001, ContainerPort = 80 }, new PortMapping { HostPort = 31000, ContainerPort = 53, Protocol = "UDP" }]);

        var body = Build(launch);

        Assert.Equal(512, body.HostConfig.CpuShares);
        Assert.Equal(128L * 1024 * 1024, body.HostConfig.Memory);
        Assert.Equal("bridge", body.HostConfig.NetworkMode);
        Assert.Equal(["/bin/sh", "-c"], body.Entrypoint);
        Assert.Equal(["echo hi"], body.Cmd);
        Assert.Equal("31001", Assert.Single(body.HostConfig.PortBindings!["80/tcp"]).HostPort);
        Assert.Equal("31000", Assert.Single(body.HostConfig.PortBindings!["53/udp"]).HostPort);
        Assert.Contains("/work/sandboxes/t:/mnt/mesos/sandbox:rw", body.HostConfig.Binds);
        Assert.Contains($"MESOS_TASK_ID={launch.TaskId}", body.Env);
        Assert.Contains("PORT0=31000", body.Env);
        Assert.Contains("HOST=agent1", body.Env);
        Assert.Contains("MESOS_SANDBOX=/mnt/mesos/sandbox", body.Env);
        Assert.DoesNotContain(body.Env, e => e.StartsWith("PATH=", StringComparison.Ordinal));
        Assert.Equal(launch.TaskId, body.Labels["minuet.task_id"]);
        Assert.Equal(AgentHarness.AgentId, body.Labels["minuet.agent_id"]);
        Assert.Equal("cid-1", body.Labels["minuet.container_id"]);
    }

    [Fact]
    public void Build_TinyResources_UseMesosFloors()
    {
        var launch = Launch();
        launch = launch with { Resources = launch.Resources with { Cpus = 0.001, Mem = 4 } };

        var body = Build(launch);

        Assert.Equal(2, body.HostConfig.CpuShares);
        Assert.Equal(32L * 1024 * 1024, body.HostConfig.Memory);
    }

    [Fact]
    public void Build_ArgsWithoutShell_KeepImageEntrypointAndPassArguments()
    {
        var body = Build(Launch(command: new CommandInfo { Shell = false, Arguments = ["--port", "80"] }));

        Assert.Null(body.Entrypoint);
        Assert.Equal(["--port", "80"], body.Cmd);
    }

    [Fact]
    public void Build_NoCommand_RunsTheImagesOwn()
    {
        var body = Build(Launch(command: new CommandInfo { Shell = false }));

        Assert.Null(body.Entrypoint);
        Assert.Null(body.Cmd);
    }

    [Fact]
    public void Build_UserNetwork_JoinsTheNamedNetwork()
    {
        var body = Build(Launch(network: "USER"));

        Assert.Equal("apps", body.HostConfig.NetworkMode);
        Assert.Equal(["apps"], body.NetworkingConfig!.EndpointsConfig.Keys);
    }

    [Fact]
    public void Build_Volumes_RelativeHostPathInSandboxAndModes()
    {
        var body = Build(Launch(volumes:
        [
            new Volume { ContainerPath = "/data", HostPath = "/srv/data", Mode = "RO" },
            new Volume { ContainerPath = "/cache", HostPath = "cache" },
            new Volume { ContainerPath = "/scratch" },
        ]));

        Assert.Contains("/srv/data:/data:ro", body.HostConfig.Binds);
        Assert.Contains("/work/sandboxes/t/cache:/cache:rw", body.HostConfig.Binds);
        Assert.Contains("/scratch", body.Volumes!.Keys);
    }

    [Fact]
    public void Build_SupportedParameters_MapToCreateFields()
    {
        var body = Build(Launch(parameters:
        [
            new DockerParameter("label", "team=web"), new DockerParameter("env", "A=1"), new DockerParameter("workdir", "/app"),
            new DockerParameter("user", "nobody"), new DockerParameter("add-host", "db:198.18.0.9"), new DockerParameter("ulimit", "nofile=1024:2048"),
            new DockerParameter("memory-swap", "1g"),
        ]));

        Assert.Equal("web", body.Labels["team"]);
        Assert.Contains("A=1", body.Env);
        Assert.Equal("/app", body.WorkingDir);
        Assert.Equal("nobody", body.User);
        Assert.Equal(["db:198.18.0.9"], body.HostConfig.ExtraHosts);
        Assert.Equal(new UlimitBody("nofile", 1024, 2048), Assert.Single(body.HostConfig.Ulimits!));
        Assert.Equal(1024L * 1024 * 1024, body.HostConfig.MemorySwap);
    }

    [Theory]
    [InlineData("volume-driver", "rexray", "'volume-driver': unsupported Docker parameter")]
    [InlineData("name", "x", "must not be 'name'")]
    [InlineData("cap-add", "NET_ADMIN", "--docker-allow-privileged")]
    [InlineData("ulimit", "nofile", "is not name=soft[:hard]")]
    [InlineData("memory-swap", "lots", "is not a size")]
    public void Build_RefusedParameter_ErrorNamesItAndWhy(string key, string value, string expected)
    {
        string error = BuildError(Launch(parameters: [new DockerParameter(key, value)]));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("container.docker.parameters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Privileged_RefusedUnlessAllowed()
    {
        Assert.Contains("--docker-allow-privileged", BuildError(Launch(privileged: true)), StringComparison.Ordinal);
        Assert.True(Build(Launch(privileged: true), allowPrivileged: true).HostConfig.Privileged);
    }

    [Theory]
    [InlineData("HOST", 31000, "only supported for bridge and user-defined networks")]
    [InlineData("BRIDGE", 32000, "Port [32000] not included in resources")]
    [InlineData("OVERLAY", 31000, "is not HOST, BRIDGE, USER or NONE")]
    public void Build_BadNetworkOrMapping_Refused(string network, int hostPort, string expected)
    {
        string error = BuildError(Launch(network: network, mappings: [new PortMapping { HostPort = hostPort, ContainerPort = 80 }]));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ContainerName_MarathonTaskId_IsMesosPrefixedAsIs()
    {
        Assert.Equal("mesos-web.4b0c-11ee_x", DockerNames.ContainerName("web.4b0c-11ee_x"));
    }

    [Fact]
    public void ContainerName_CharactersDockerRefuses_ReplacedAndHashKeepsNamesApart()
    {
        string name = DockerNames.ContainerName("a b/c");

        Assert.StartsWith("mesos-a_b_c-", name, StringComparison.Ordinal);
        Assert.Matches("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$", name);
        Assert.NotEqual(name, DockerNames.ContainerName("a_b_c"));
        Assert.NotEqual(name, DockerNames.ContainerName("a b c"));
    }

    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("minuet/busybox:1", "minuet/busybox", "1")]
    [InlineData("registry:5000/team/app", "registry:5000/team/app", "latest")]
    [InlineData("registry:5000/app:2", "registry:5000/app", "2")]
    public void ImageReference_Split_RepositoryAndTag(string image, string repository, string tag)
    {
        Assert.Equal((repository, tag), ImageReference.Split(image));
    }

    [Theory]
    [InlineData(null, null, "/var/run/docker.sock")]
    [InlineData("/tmp/d.sock", "unix:///other.sock", "/tmp/d.sock")]
    [InlineData("unix:///tmp/d.sock", null, "/tmp/d.sock")]
    [InlineData(null, "unix:///run/user/docker.sock", "/run/user/docker.sock")]
    public void ResolveSocket_FlagThenDockerHostThenDefault(string? flag, string? dockerHost, string expected)
    {
        Assert.Equal((expected, null), DockerOptions.ResolveSocket(flag, dockerHost));
    }

    [Fact]
    public void ResolveSocket_TcpDockerHost_RefusedNamingIt()
    {
        var (path, error) = DockerOptions.ResolveSocket(null, "tcp://10.0.0.1:2375");

        Assert.Null(path);
        Assert.StartsWith("DOCKER_HOST: 'tcp://10.0.0.1:2375'", error, StringComparison.Ordinal);
    }
}
