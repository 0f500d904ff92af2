using System.Net;
using System.Text.Json;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>v0 endpoints of master and agent, the agent's files API and its v1 operator API, on a real agent.</summary>
public class AgentAndV0EndpointTests
{
    private static string CommandTask(string id, string command) =>
        "{\"task_id\":\"" + id + "\",\"name\":\"" + id + "\",\"command\":{\"value\":\"" + command + "\"},\"resources\":{\"cpus\":0.1,\"mem\":16}}";

    /// <summary>Three sleeping command tasks of one framework, launched in one accept, all TASK_RUNNING.</summary>
    private static async Task<string> ThreeTasksAsync(MesosCluster cluster, string firstCommand = "sleep 60")
    {
        var (framework, events) = await cluster.SubscribeFrameworkAsync();
        using (events)
        {
            await cluster.LaunchAsync(framework, events, string.Join(',', CommandTask("t.1", firstCommand), CommandTask("t.2", "sleep 60"), CommandTask("t.3", "sleep 60")));
            await cluster.WaitForStateAsync(framework, events, "TASK_RUNNING", "t.1", "t.2", "t.3");
        }

        return framework;
    }

    private static async Task<List<string>> TaskIdsAsync(HttpClient http, string query)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/master/tasks" + query));
        return doc.RootElement.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()!).ToList();
    }

    [Fact]
    public async Task MasterV0_SlavesFrameworksTasks_HaveMesosShapesAndTasksPage()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string framework = await ThreeTasksAsync(cluster);

        var descending = await TaskIdsAsync(cluster.Http, string.Empty);
        Assert.Equal(3, descending.Count);
        var ascending = await TaskIdsAsync(cluster.Http, "?order=asc");
        Assert.Equal(descending.AsEnumerable().Reverse(), ascending);
        Assert.Equal(ascending.Take(2), await TaskIdsAsync(cluster.Http, "?order=asc&limit=2"));
        Assert.Equal(ascending.Skip(2), await TaskIdsAsync(cluster.Http, "?order=asc&offset=2"));
        Assert.Equal(["t.2"], await TaskIdsAsync(cluster.Http, "?task_id=t.2"));
        Assert.Empty(await TaskIdsAsync(cluster.Http, "?framework_id=other"));
        Assert.Equal(descending, await TaskIdsAsync(cluster.Http, "?limit=bogus"));

        using (var slaves = JsonDocument.Parse(await cluster.Http.GetStringAsync("/master/slaves")))
        {
            var slave = Assert.Single(slaves.RootElement.GetProperty("slaves").EnumerateArray());
            Assert.Equal(cluster.AgentId, slave.GetProperty("id").GetString());
            Assert.Equal($"slave(1)@127.0.0.1:{cluster.Agent.Port}", slave.GetProperty("pid").GetString());
            Assert.Equal(JsonValueKind.Array, slaves.RootElement.GetProperty("recovered_slaves").ValueKind);
        }

        using (var frameworks = JsonDocument.Parse(await cluster.Http.GetStringAsync("/master/frameworks")))
        {
            var entry = Assert.Single(frameworks.RootElement.GetProperty("frameworks").EnumerateArray());
            Assert.Equal(framework, entry.GetProperty("id").GetString());
            Assert.Equal(3, entry.GetProperty("tasks").GetArrayLength());
            Assert.Equal(JsonValueKind.Array, frameworks.RootElement.GetProperty("completed_frameworks").ValueKind);
            Assert.Equal(JsonValueKind.Array, frameworks.RootElement.GetProperty("unregistered_frameworks").ValueKind);
        }

        using var unknown = await cluster.Http.GetAsync("/master/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AgentState_CommandTasks_ListedAsExecutorsWithTheirSandboxDirectory()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string framework = await ThreeTasksAsync(cluster);
        foreach (var path in new[] { "/state", "/slave(1)/state", "/state.json" })
        {
            using var state = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync(path));
            var root = state.RootElement;
            Assert.Equal(cluster.AgentId, root.GetProperty("id").GetString());
            Assert.Equal($"slave(1)@127.0.0.1:{cluster.Agent.Port}", root.GetProperty("pid").GetString());
            Assert.Equal("agent-test", root.GetProperty("hostname").GetString());
            Assert.Equal(2, root.GetProperty("resources").GetProperty("cpus").GetDouble());
            Assert.Equal("r1", root.GetProperty("attributes").GetProperty("rack").GetString());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("completed_frameworks").ValueKind);
            var fw = Assert.Single(root.GetProperty("frameworks").EnumerateArray());
            Assert.Equal(framework, fw.GetProperty("id").GetString());
            var executors = fw.GetProperty("executors").EnumerateArray().OrderBy(e => e.GetProperty("id").GetString()).ToList();
            Assert.Equal(["t.1", "t.2", "t.3"], executors.Select(e => e.GetProperty("id").GetString()));
            var first = executors[0];
            Assert.Equal(Path.Combine(cluster.Root, "agent", "sandboxes", "t.1"), first.GetProperty("directory").GetString());
            Assert.True(Directory.Exists(first.GetProperty("directory").GetString()));
            var task = Assert.Single(first.GetProperty("tasks").EnumerateArray());
            Assert.Equal("t.1", task.GetProperty("id").GetString());
            Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
            Assert.Equal(cluster.AgentId, task.GetProperty("slave_id").GetString());
        }
    }

    [Fact]
    public async Task FilesApi_TaskSandbox_BrowseReadPagesDownloadAndRefusesEscapes()
    {
        await using var cluster = await MesosCluster.StartAsync();
        await ThreeTasksAsync(cluster, "printf abcdefghij > ten.txt; ln -s / root; mkdir sub; sleep 60");
        string dir = Path.Combine(cluster.Root, "agent", "sandboxes", "t.1");
        string Q(string path) => Uri.EscapeDataString(path);
        await LoopbackWait.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(dir, "ten.txt")) && Directory.Exists(Path.Combine(dir, "sub"))), "the task's files");

        using (var browse = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync($"/files/browse?path={Q(dir)}")))
        {
            var entries = browse.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!);
            var ten = entries[dir + "/ten.txt"];
            Assert.Equal(10, ten.GetProperty("size").GetInt64());
            Assert.StartsWith("-rw", ten.GetProperty("mode").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("d", entries[dir + "/sub"].GetProperty("mode").GetString(), StringComparison.Ordinal);
            Assert.True(entries.ContainsKey(dir + "/stdout"));
            foreach (var field in new[] { "nlink", "mtime", "uid", "gid" })
            {
                Assert.True(ten.TryGetProperty(field, out _), field);
            }
        }

        async Task<(string Data, long Offset)> ReadAsync(string query)
        {
            using var doc = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync($"/files/read?path={Q(dir + "/ten.txt")}&{query}"));
            return (doc.RootElement.GetProperty("data").GetString()!, doc.RootElement.GetProperty("offset").GetInt64());
        }

        Assert.Equal((string.Empty, 10L), await ReadAsync("offset=-1"));
        Assert.Equal(("cde", 2L), await ReadAsync("offset=2&length=3"));
        Assert.Equal(("hij", 7L), await ReadAsync("offset=7"));
        Assert.Equal((string.Empty, 20L), await ReadAsync("offset=20&length=5"));
        Assert.Equal(("abcdefghij", 0L), await ReadAsync("offset=0&length=-1"));

        using (var download = await cluster.AgentHttp.GetAsync($"/files/download?path={Q(dir + "/ten.txt")}"))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("abcdefghij", await download.Content.ReadAsStringAsync());
            Assert.Equal("attachment; filename=ten.txt", download.Content.Headers.ContentDisposition?.ToString());
        }

        async Task ExpectAsync(string url, HttpStatusCode status, string? mention)
        {
            using var response = await cluster.AgentHttp.GetAsync(url);
            Assert.Equal(status, response.StatusCode);
            string body = await response.Content.ReadAsStringAsync();
            if (mention is null)
            {
                Assert.Empty(body);
            }
            else
            {
                Assert.Contains(mention, body, StringComparison.Ordinal);
            }
        }

        await ExpectAsync($"/files/read?path={Q(dir + "/../../../../../../etc/passwd")}&offset=0", HttpStatusCode.BadRequest, "is inaccessible");
        await ExpectAsync($"/files/download?path={Q(dir + "/root/etc/passwd")}", HttpStatusCode.BadRequest, "is inaccessible");
        await ExpectAsync($"/files/browse?path={Q(dir + "/root")}", HttpStatusCode.BadRequest, "is inaccessible");
        await ExpectAsync($"/files/read?path={Q("/etc/passwd")}&offset=0", HttpStatusCode.NotFound, null);
        await ExpectAsync($"/files/read?path={Q(dir + "/missing.txt")}&offset=0", HttpStatusCode.NotFound, null);
        await ExpectAsync($"/files/download?path={Q(dir + "/missing.txt")}", HttpStatusCode.NotFound, null);
        await ExpectAsync("/files/read?offset=0", HttpStatusCode.BadRequest, "Expecting 'path=value' in query.");
        await ExpectAsync($"/files/read?path={Q(dir)}&offset=0", HttpStatusCode.BadRequest, "Cannot read a directory.");
        await ExpectAsync($"/files/download?path={Q(dir)}", HttpStatusCode.BadRequest, "Cannot download a directory.");
        await ExpectAsync($"/files/read?path={Q(dir + "/ten.txt")}&offset=-5", HttpStatusCode.BadRequest, "Negative offset provided: -5.");
        await ExpectAsync($"/files/read?path={Q(dir + "/ten.txt")}&offset=x", HttpStatusCode.BadRequest, "Failed to parse offset");

        using var debug = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync("/files/debug"));
        Assert.Contains(debug.RootElement.EnumerateObject(), p => p.Value.GetString() == Path.Combine(cluster.Root, "agent", "sandboxes"));
    }

    [Fact]
    public async Task AgentOperatorApi_GetCallsAnswerMesosShapes_ContainerCallsAre501()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string framework = await ThreeTasksAsync(cluster);
        foreach (var path in new[] { "/api/v1", "/slave(1)/api/v1" })
        {
            var state = (await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_STATE")).GetProperty("get_state");
            var launched = state.GetProperty("get_tasks").GetProperty("launched_tasks").EnumerateArray().ToList();
            Assert.Equal(3, launched.Count);
            var task = launched.Single(t => t.GetProperty("task_id").GetProperty("value").GetString() == "t.1");
            Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
            Assert.Equal(cluster.AgentId, task.GetProperty("agent_id").GetProperty("value").GetString());
            Assert.Equal("cpus", task.GetProperty("resources")[0].GetProperty("name").GetString());
            Assert.Equal(framework, state.GetProperty("get_frameworks").GetProperty("frameworks")[0].GetProperty("framework_info").GetProperty("id").GetProperty("value").GetString());
            Assert.False(state.GetProperty("get_executors").TryGetProperty("executors", out _)); // empty repeated fields are left out

            var agent = (await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_AGENT")).GetProperty("get_agent").GetProperty("agent_info");
            Assert.Equal(cluster.AgentId, agent.GetProperty("id").GetProperty("value").GetString());
            Assert.Equal(cluster.Agent.Port, agent.GetProperty("port").GetInt32());
            Assert.True((await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_HEALTH")).GetProperty("get_health").GetProperty("healthy").GetBoolean());
            Assert.Equal("1.11.0", (await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_VERSION")).GetProperty("get_version").GetProperty("version_info").GetProperty("version").GetString());
            Assert.Contains((await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_FLAGS")).GetProperty("get_flags").GetProperty("flags").EnumerateArray(),
                f => f.GetProperty("name").GetString() == "work_dir");
            Assert.Equal(3, (await MesosCluster.GetAsync(cluster.AgentHttp, path, "GET_TASKS")).GetProperty("get_tasks").GetProperty("launched_tasks").GetArrayLength());

            foreach (var type in new[] { "GET_CONTAINERS", "LAUNCH_NESTED_CONTAINER" })
            {
                using var response = await MesosCluster.CallAsync(cluster.AgentHttp, path, "{\"type\":\"" + type + "\"}");
                Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
                Assert.Contains("not supported", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }
}
