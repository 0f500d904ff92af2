using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Docker apps through the API and a master: launch shape, cluster admission rules, and why failing launches wait.</summary>
public sealed class DockerAppHostTests : SchedulerHostFixture
{
    private const string Bridge = """
        {"id":"/web","cmd":"busybox httpd -f -p 80","cpus":0.1,"mem":32,"networks":[{"mode":"container/bridge"}],
         "container":{"type":"DOCKER","docker":{"image":"minuet/busybox:latest"},"portMappings":[{"containerPort":80,"hostPort":0,"labels":{"VIP_0":"/web:80"}}]}}
        """;

    private protected override double AgentCpus => 2;

    [Fact]
    public async Task PostBridgeApp_Launch_CarriesDockerContainerWithTheOfferedHostPort()
    {
        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json(Bridge));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var taskId = await HostTestSteps.LaunchedTaskAsync(Master, 1);
        var launch = Master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;

        var docker = launch.Container!.Docker!;
        Assert.Equal(("DOCKER", "minuet/busybox:latest", "BRIDGE"), (launch.Container.Type, docker.Image, docker.Network));
        var mapping = Assert.Single(docker.PortMappings);
        Assert.Equal(80, mapping.ContainerPort);
        Assert.InRange(mapping.HostPort, 31000, 32000);
        Assert.Equal([new Protocol.PortRange(mapping.HostPort, mapping.HostPort)], launch.Resources.Ports);
        Assert.Equal(mapping.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture), launch.Command.Environment["PORT0"]);

        // GET answers Marathon's 1.5 shape.
        var app = await HostTestSteps.AppAsync(Http, "web");
        Assert.Equal("container/bridge", app.GetProperty("networks")[0].GetProperty("mode").GetString());
        Assert.Equal("minuet/busybox:latest", app.GetProperty("container").GetProperty("docker").GetProperty("image").GetString());
    }

    [Fact]
    public async Task PutLegacyBridgeBody_OverHostApp_SwitchesNetworking()
    {
        using (var created = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/sw","cmd":"x","cpus":0.1,"mem":16,"container":{"type":"DOCKER","docker":{"image":"nginx"}}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Partial update (Marathon's default) with 1.4's form: the stored networks and default port give way.
        using var put = await Http.PutAsync("v2/apps/sw?force=true", HostTestSteps.Json("""
            {"container":{"type":"DOCKER","docker":{"image":"nginx","network":"BRIDGE","portMappings":[{"containerPort":80}]}}}
            """));
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var app = await HostTestSteps.AppAsync(Http, "sw");
        Assert.Equal("container/bridge", app.GetProperty("networks")[0].GetProperty("mode").GetString());
        Assert.Equal(0, app.GetProperty("portDefinitions").GetArrayLength());
        Assert.Equal(0, app.GetProperty("container").GetProperty("portMappings")[0].GetProperty("hostPort").GetInt32());
    }

    [Fact]
    public async Task PostApp_PrivilegedOrHostPortNoAgentOffers_422NamingTheField()
    {
        // The scheduler has seen the agent's offer (ports 31000-32000) once a task of another app launched.
        using (await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/seed","cmd":"sleep 100","cpus":0.1,"mem":16}"""))) { }
        await HostTestSteps.LaunchedTaskAsync(Master, 1);

        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json("""
            {"id":"/p","cmd":"x","networks":[{"mode":"container/bridge"}],
             "container":{"type":"DOCKER","docker":{"image":"nginx","privileged":true},"portMappings":[{"containerPort":80,"hostPort":8080}]}}
            """));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var details = body.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("path").GetString()!, d => d.GetProperty("errors")[0].GetString()!);
        Assert.Contains("--allow-privileged", details["/container/docker/privileged"], StringComparison.Ordinal);
        Assert.Contains("31000-32000", details["/container/portMappings/0/hostPort"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DockerLaunchFails_QueueShowsWhyAndBacksOff()
    {
        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json(Bridge));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var taskId = await HostTestSteps.LaunchedTaskAsync(Master, 1);
        var launch = Master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;
        const string Why = "Failed to launch container: image minuet/busybox:latest not found (no registry reachable)";
        var status = Master.Status(taskId, launch.FrameworkId, AgentId, TaskState.Failed, null, "10.0.0.11") with { Message = Why };
        Assert.Null(Master.Core.StatusUpdate(AgentId, status).Error);

        JsonElement item = default;
        await HostTestSteps.WaitAsync(async () =>
        {
            var queue = await Http.GetFromJsonAsync<JsonElement>("v2/queue");
            item = queue.GetProperty("queue").EnumerateArray().FirstOrDefault();
            return item.ValueKind == JsonValueKind.Object && item.GetProperty("app").TryGetProperty("lastTaskFailure", out _);
        });

        Assert.Equal(1, item.GetProperty("count").GetInt32());
        Assert.Equal(Why, item.GetProperty("app").GetProperty("lastTaskFailure").GetProperty("message").GetString());
        Assert.Equal("TASK_FAILED", item.GetProperty("app").GetProperty("lastTaskFailure").GetProperty("state").GetString());
        Assert.False(item.GetProperty("delay").GetProperty("overdue").GetBoolean());
    }
}
