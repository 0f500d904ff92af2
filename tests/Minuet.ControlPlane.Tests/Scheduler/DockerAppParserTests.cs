using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Docker apps: what is accepted, how Marathon 1.4's form is normalized, what is refused and where.</summary>
public class DockerAppParserTests
{
    private const string Bridge = """
        {"id":"/web","cmd":"busybox httpd -f -p 80","instances":2,
         "networks":[{"mode":"container/bridge"}],
         "container":{"type":"DOCKER","docker":{"image":"minuet/busybox:latest","forcePullImage":true,"parameters":[{"key":"label","value":"team=a"},{"key":"env","value":"A=1"}]},
          "volumes":[{"containerPath":"/www","hostPath":"/srv/www","mode":"RO"}],
          "portMappings":[{"containerPort":80,"hostPort":0,"servicePort":10080,"protocol":"tcp","name":"http","labels":{"VIP_0":"/web:80"}},{"containerPort":53,"protocol":"udp,tcp"}]}}
        """;

    private static (AppDefinition? App, Dictionary<string, List<string>> Errors) Parse(string json, AppAdmission? admission = null)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var app = AppParser.Parse(doc.RootElement, string.Empty, "/", errors, admission: admission);
        return (app, errors.ToList().ToDictionary(e => e.Path, e => e.Errors.ToList()));
    }

    [Fact]
    public void Parse_BridgeApp_KeepsDockerFieldsAndDefaultsMissingHostPortToZero()
    {
        var (app, errors) = Parse(Bridge);
        Assert.Empty(errors);
        Assert.True(app!.RunsDocker);
        Assert.Equal(NetworkMode.ContainerBridge, Assert.Single(app.Networks).Mode);
        var docker = app.Container!.Docker!;
        Assert.Equal(("minuet/busybox:latest", true, false), (docker.Image, docker.ForcePullImage, docker.Privileged));
        Assert.Equal([new("label", "team=a"), new("env", "A=1")], docker.Parameters);
        Assert.Equal(new VolumeSpec("/www", "/srv/www", "RO"), Assert.Single(app.Container.Volumes));
        Assert.Equal([(80, (int?)0), (53, (int?)0)], app.Ports.Select(p => (p.ContainerPort!.Value, p.HostPort)));
        Assert.Empty(app.PortDefinitions);
    }

    [Fact]
    public void Parse_Marathon14DockerNetwork_NormalizedToNetworks()
    {
        var (app, errors) = Parse("""
            {"id":"/web","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx:1.25","network":"BRIDGE",
             "portMappings":[{"containerPort":8080,"hostPort":0,"servicePort":9000},{"containerPort":161,"protocol":"udp"}]}}}
            """);
        Assert.Empty(errors);
        Assert.Equal(NetworkMode.ContainerBridge, Assert.Single(app!.Networks).Mode);
        Assert.Equal([(8080, (int?)0, 9000), (161, (int?)0, 0)], app.Container!.PortMappings.Select(m => (m.ContainerPort, m.HostPort, m.ServicePort)));

        // Written back in Marathon 1.5's shape, which parses to the same definition.
        var json = AppJsonWriter.ConfigJson(app);
        Assert.Contains("\"networks\":[{\"mode\":\"container/bridge\"}]", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"network\":", json, StringComparison.Ordinal);
        var (again, againErrors) = Parse(json);
        Assert.Empty(againErrors);
        Assert.Equal(json, AppJsonWriter.ConfigJson(again!));
    }

    [Fact]
    public void Parse_LegacyHostNetwork_IsHostWithPortDefinitions()
    {
        var (app, errors) = Parse("""{"id":"/api","cmd":"x","container":{"type":"DOCKER","docker":{"image":"me/api:1","network":"HOST"}},"portDefinitions":[{"port":0,"name":"http"}]}""");
        Assert.Empty(errors);
        Assert.Equal(NetworkMode.Host, Assert.Single(app!.Networks).Mode);
        Assert.Equal("http", Assert.Single(app.Ports).Name);
    }

    [Fact]
    public void WriteThenParse_DockerApp_RoundTripsEveryField()
    {
        var (app, _) = Parse(Bridge);
        var json = AppJsonWriter.ConfigJson(app!);
        using (var doc = JsonDocument.Parse(json))
        {
            var container = doc.RootElement.GetProperty("container");
            Assert.Equal("DOCKER", container.GetProperty("type").GetString());
            Assert.Equal("minuet/busybox:latest", container.GetProperty("docker").GetProperty("image").GetString());
            Assert.True(container.GetProperty("docker").GetProperty("forcePullImage").GetBoolean());
            Assert.Equal("RO", container.GetProperty("volumes")[0].GetProperty("mode").GetString());
            Assert.Equal(0, container.GetProperty("portMappings")[1].GetProperty("hostPort").GetInt32());
            Assert.Equal("/web:80", container.GetProperty("portMappings")[0].GetProperty("labels").GetProperty("VIP_0").GetString());
        }

        var (again, errors) = Parse(json);
        Assert.Empty(errors);
        Assert.Equal(json, AppJsonWriter.ConfigJson(again!));
        Assert.True(app!.SameConfigAs(again!));
    }

    [Fact]
    public void Parse_MesosContainerWithImageAndNoCommand_RunsTheImageDefault()
    {
        var (app, errors) = Parse("""{"id":"/a","container":{"type":"MESOS","docker":{"image":"nginx"}},"networks":[{"mode":"container","name":"apps"}]}""");
        Assert.Empty(errors);
        Assert.True(app!.RunsDocker);
        Assert.Null(app.Cmd);
        Assert.Null(app.Args);
    }

    [Theory]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":""}}}""", "/container/docker/image", "must not be empty")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{}}}""", "/container/docker/image", "is required")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"Nginx"}}}""", "/container/docker/image", "not a valid Docker image reference")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"mesosphere:marathon/latest"}}}""", "/container/docker/image", "not a valid Docker image reference")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx:"}}}""", "/container/docker/image", "not a valid Docker image reference")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"a b"}}}""", "/container/docker/image", "not a valid Docker image reference")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx","parameters":[{"key":"net","value":"host"}]}}}""", "/container/docker/parameters/0/key", "'net' is not allowed")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx","parameters":[{"key":"label","value":"a"},{"key":"cap-add","value":"ALL"}]}}}""", "/container/docker/parameters/1/key", "'cap-add' is not allowed")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx","network":"NONE"}}}""", "/container/docker/network", "NONE")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx","network":"OVERLAY"}}}""", "/container/docker/network", "not one of BRIDGE, HOST, USER")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx","network":"BRIDGE"}}}""", "/container/docker/network", "must not specify both")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx","portMappings":[{"containerPort":1}]},"portMappings":[{"containerPort":2}]}}""", "/container/docker/portMappings", "cannot specify both")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"macvlan"}],"container":{"type":"DOCKER","docker":{"image":"nginx"}}}""", "/networks/0/mode", "not one of host, container, container/bridge")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container"}],"container":{"type":"DOCKER","docker":{"image":"nginx"}}}""", "/networks/0/name", "Network name must be specified")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge","name":"b"}],"container":{"type":"DOCKER","docker":{"image":"nginx"}}}""", "/networks/0/name", "Bridge networks may not have names")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx"},"portMappings":[{"containerPort":0,"hostPort":0}]}}""", "/container/portMappings/0/containerPort", "between 1 and 65535 in bridge")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx"},"portMappings":[{"containerPort":80,"hostPort":31000},{"containerPort":81,"hostPort":31000}]}}""", "/container/portMappings/1/hostPort", "host port 31000 is already used")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx"},"portMappings":[{"containerPort":80}]}}""", "/container/portMappings", "not allowed with host networking")]
    [InlineData("""{"id":"/w","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx"}},"portDefinitions":[{"port":0}]}""", "/portDefinitions", "only allowed with host-networking")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx"},"volumes":[{"containerPath":"data","hostPath":"/d"}]}}""", "/container/volumes/0/containerPath", "absolute path")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx"},"volumes":[{"containerPath":"/d"}]}}""", "/container/volumes/0/hostPath", "is required")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx"},"volumes":[{"containerPath":"/d","hostPath":"/d","mode":"RWX"}]}}""", "/container/volumes/0/mode", "not one of RW, RO")]
    [InlineData("""{"id":"/w","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx"},"volumes":[{"containerPath":"/d","persistent":{"size":10}}]}}""", "/container/volumes/0", "only host volumes")]
    public void Parse_InvalidDockerField_422NamesThePath(string json, string path, string message)
    {
        var (app, errors) = Parse(json);
        Assert.Null(app);
        Assert.True(errors.ContainsKey(path), $"expected an error at {path}, got {string.Join(", ", errors.Select(e => e.Key + ": " + string.Join("; ", e.Value)))}");
        Assert.Contains(errors[path], e => e.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("nginx:1.25")]
    [InlineData("library/nginx:latest")]
    [InlineData("minuet/busybox:latest")]
    [InlineData("registry.example.com:5000/team/app_v2:1.0-rc.1")]
    [InlineData("localhost:5000/a")]
    [InlineData("Registry.Example.com/a/b")]
    [InlineData("a--b.c__d/e")]
    [InlineData("busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void DockerImageReference_ValidNames_Accepted(string image) => Assert.Null(DockerImageReference.Problem(image));

    [Theory]
    [InlineData("UPPER")]
    [InlineData("a/B")]
    [InlineData("-a")]
    [InlineData("a_")]
    [InlineData("a:b:c")]
    [InlineData("a@sha256:short")]
    [InlineData("host:port/a")]
    [InlineData("/a")]
    public void DockerImageReference_InvalidNames_Refused(string image) => Assert.NotNull(DockerImageReference.Problem(image));

    [Fact]
    public void Parse_Privileged_RefusedUnlessAllowed()
    {
        const string json = """{"id":"/p","cmd":"x","container":{"type":"DOCKER","docker":{"image":"nginx","privileged":true}}}""";
        var (refused, errors) = Parse(json, new AppAdmission(false, AppAdmission.AnyPort));
        Assert.Null(refused);
        Assert.Contains(errors["/container/docker/privileged"], e => e.Contains("--allow-privileged", StringComparison.Ordinal));

        var (allowed, none) = Parse(json, new AppAdmission(true, AppAdmission.AnyPort));
        Assert.Empty(none);
        Assert.True(allowed!.Container!.Docker!.Privileged);

        // A stored app is read back without admission rules: a privileged app stays loadable.
        Assert.NotNull(Parse(json).App);
    }

    [Fact]
    public void Parse_HostPortOutsideAgentRanges_RefusedNamingTheRanges()
    {
        const string json = """{"id":"/b","cmd":"x","networks":[{"mode":"container/bridge"}],"container":{"type":"DOCKER","docker":{"image":"nginx"},"portMappings":[{"containerPort":80,"hostPort":31005},{"containerPort":81,"hostPort":8080}]}}""";
        var admission = new AppAdmission(false, [new PortRange(31000, 32000)]);
        var (app, errors) = Parse(json, admission);
        Assert.Null(app);
        Assert.Equal(["/container/portMappings/1/hostPort"], errors.Keys);
        Assert.Contains("31000-32000", errors["/container/portMappings/1/hostPort"][0], StringComparison.Ordinal);

        // No agent known yet: any port is admitted.
        Assert.NotNull(Parse(json, new AppAdmission(false, AppAdmission.AnyPort)).App);
    }
}
