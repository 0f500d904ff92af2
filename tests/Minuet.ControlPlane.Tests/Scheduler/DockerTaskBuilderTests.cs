using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Launching;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The Mesos task a Docker app's instance becomes: ContainerInfo, ports, env, command, discovery.</summary>
public class DockerTaskBuilderTests
{
    private static AppDefinition App(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var app = AppParser.Parse(doc.RootElement, string.Empty, "/", errors);
        Assert.False(errors.Any, string.Join("; ", errors.ToList().Select(e => e.Path + ": " + string.Join(",", e.Errors))));
        return app!;
    }

    private static LaunchTaskRequest Launch(TaskSpec spec) => new()
    {
        TaskId = spec.TaskId!,
        Name = spec.Name!,
        FrameworkId = "fw",
        AgentId = "agent",
        Command = spec.Command!.ToCommandInfo(),
        Resources = spec.Resources!,
        Container = spec.Container,
        Discovery = spec.Discovery,
    };

    [Fact]
    public void Build_BridgeApp_MapsOfferedHostPortsAndSetsHostPortEnv()
    {
        var app = App("""
            {"id":"/web","cmd":"busybox httpd -f -p 80","networks":[{"mode":"container/bridge"}],
             "container":{"type":"DOCKER","docker":{"image":"minuet/busybox:latest","parameters":[{"key":"label","value":"a=b"}]},
              "volumes":[{"containerPath":"/www","hostPath":"/srv/www","mode":"RO"}],
              "portMappings":[{"containerPort":80,"hostPort":0,"name":"http","labels":{"VIP_0":"/web:80"}},{"containerPort":53,"hostPort":0,"protocol":"udp,tcp"}]}}
            """);
        var spec = TaskBuilder.Build(app, "web.1", [31001, 31007], "agent1");

        var container = spec.Container!;
        Assert.Equal("DOCKER", container.Type);
        var docker = container.Docker!;
        Assert.Equal(("minuet/busybox:latest", "BRIDGE", false), (docker.Image, docker.Network, docker.Privileged));
        Assert.Equal([(31001, 80, "tcp"), (31007, 53, "udp"), (31007, 53, "tcp")], docker.PortMappings.Select(m => (m.HostPort, m.ContainerPort, m.Protocol)));
        Assert.Equal([new DockerParameter("label", "a=b")], docker.Parameters);
        Assert.Equal(("/www", "/srv/www", "RO"), (container.Volumes[0].ContainerPath, container.Volumes[0].HostPath, container.Volumes[0].Mode));
        Assert.Empty(container.NetworkInfos);

        // The task's port resources are exactly the host ports mapped.
        Assert.Equal([new PortRange(31001, 31001), new PortRange(31007, 31007)], spec.Resources!.Ports);

        // Marathon's env: host ports everywhere, PORT_<containerPort> too.
        var env = spec.Command!.Environment!;
        Assert.Equal("31001", env["PORT0"]);
        Assert.Equal("31007", env["PORT1"]);
        Assert.Equal("31001", env["PORT"]);
        Assert.Equal("31001,31007", env["PORTS"]);
        Assert.Equal("31001", env["PORT_80"]);
        Assert.Equal("31007", env["PORT_53"]);
        Assert.Equal("31001", env["PORT_HTTP"]);
        Assert.Equal("minuet/busybox:latest", env["MARATHON_APP_DOCKER_IMAGE"]);
        Assert.Equal("agent1", env["HOST"]);
        Assert.Equal((true, "busybox httpd -f -p 80"), (spec.Command.Shell!.Value, spec.Command.Value));

        // Discovery: host-scoped host ports, the VIP label kept.
        var first = spec.Discovery!.Ports!.Ports[0];
        Assert.Equal(31001, first.Number);
        Assert.Contains(first.Labels!.Labels, l => l is { Key: "VIP_0", Value: "/web:80" });
        Assert.Contains(first.Labels!.Labels, l => l is { Key: "network-scope", Value: "host" });
        Assert.Equal(3, spec.Discovery.Ports.Ports.Count);
        Assert.Empty(ProtocolValidator.Validate(Launch(spec)));
    }

    [Fact]
    public void Build_HostNetworkDocker_NoMappingsAndPortDefinitionPorts()
    {
        var app = App("""{"id":"/api","cmd":"./server --port $PORT0","container":{"type":"DOCKER","docker":{"image":"me/api:1"}},"portDefinitions":[{"port":0,"name":"http"}]}""");
        var spec = TaskBuilder.Build(app, "api.1", [31500], "agent1");
        Assert.Equal("HOST", spec.Container!.Docker!.Network);
        Assert.Empty(spec.Container.Docker.PortMappings);
        Assert.Equal([new PortRange(31500, 31500)], spec.Resources!.Ports);
        Assert.Equal("31500", spec.Command!.Environment!["PORT_HTTP"]);
        Assert.Contains(spec.Discovery!.Ports!.Ports[0].Labels!.Labels, l => l is { Key: "network-scope", Value: "host" });
    }

    [Fact]
    public void Build_UserNetwork_NamesTheNetworkAndScopesUnmappedPortsToTheContainer()
    {
        var app = App("""
            {"id":"/svc","args":["--listen","8080"],"networks":[{"mode":"container","name":"apps"}],
             "container":{"type":"DOCKER","docker":{"image":"svc:2"},"portMappings":[{"containerPort":8080,"name":"api"},{"containerPort":9090,"hostPort":0,"name":"admin"}]}}
            """);
        var spec = TaskBuilder.Build(app, "svc.1", [null, 31002], "agent1");
        var docker = spec.Container!.Docker!;
        Assert.Equal("USER", docker.Network);
        Assert.Equal("apps", Assert.Single(spec.Container.NetworkInfos).Name);
        Assert.Equal([(31002, 9090, "tcp")], docker.PortMappings.Select(m => (m.HostPort, m.ContainerPort, m.Protocol)));
        Assert.Equal([new PortRange(31002, 31002)], spec.Resources!.Ports);

        // args are the container's arguments (no shell); PORT0 of a container-only port is the container port.
        Assert.Equal((false, null), (spec.Command!.Shell!.Value, spec.Command.Value));
        Assert.Equal(["--listen", "8080"], spec.Command.Arguments);
        Assert.Equal("8080", spec.Command.Environment!["PORT0"]);
        Assert.Equal("31002", spec.Command.Environment["PORT1"]);

        var api = spec.Discovery!.Ports!.Ports[0];
        Assert.Equal(8080, api.Number);
        Assert.Contains(api.Labels!.Labels, l => l is { Key: "network-scope", Value: "container" });
        Assert.Contains(api.Labels!.Labels, l => l is { Key: "network-name", Value: "apps" });
        var admin = spec.Discovery.Ports.Ports[1];
        Assert.Equal(31002, admin.Number);
        Assert.Contains(admin.Labels!.Labels, l => l is { Key: "network-scope", Value: "host" });
    }

    [Fact]
    public void Build_ImageWithoutCommand_LaunchValidWithoutProgram()
    {
        var app = App("""{"id":"/n","container":{"type":"DOCKER","docker":{"image":"nginx"}},"portDefinitions":[]}""");
        var spec = TaskBuilder.Build(app, "n.1", [], "agent1");
        Assert.False(spec.Command!.Shell);
        Assert.Null(spec.Command.Value);
        Assert.Empty(spec.Command.Arguments!);
        Assert.Empty(ProtocolValidator.Validate(Launch(spec)));

        // A process task without a program stays invalid.
        var process = Launch(spec) with { Container = null };
        Assert.Contains(ProtocolValidator.Validate(process), e => e.Path.EndsWith("/command/arguments", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_BridgeHealthCheck_AgentChecksTheContainerPort()
    {
        var app = App("""
            {"id":"/web","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx"},"portMappings":[{"containerPort":80}]},
             "healthChecks":[{"protocol":"MESOS_HTTP","path":"/"}]}
            """);
        var spec = TaskBuilder.Build(app, "web.1", [31009], "agent1");
        Assert.Equal(80, spec.HealthCheck!.Http!.Port);
    }
}
