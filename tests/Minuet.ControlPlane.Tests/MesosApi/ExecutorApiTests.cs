using System.Net;
using System.Text.Json;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>Custom executors launched by a real agent, speaking the v1 executor API over HTTP (shell + curl).</summary>
public class ExecutorApiTests
{
    private static string ExecutorTask(string taskId, string executorId, string command) =>
        "{\"task_id\":\"" + taskId + "\",\"name\":\"" + taskId + "\",\"command\":{\"value\":\"unused: the executor runs the task\"}," +
        "\"resources\":{\"cpus\":0.1,\"mem\":32}," +
        "\"executor\":{\"executor_id\":\"" + executorId + "\",\"name\":\"test executor\",\"command\":{\"value\":\"" + command + "\"}}}";

    [Fact]
    public async Task CustomExecutor_SubscribesGetsLaunchAndReports_RunningThenFinishedReachTheFramework()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string command = ExecutorScripts.Install(Path.Combine(cluster.Root, "scripts"), "runs", ExecutorScripts.RunsTask);
        var (framework, events) = await cluster.SubscribeFrameworkAsync();
        using (events)
        {
            await cluster.LaunchAsync(framework, events, ExecutorTask("job.1", "exec-1", command));

            var running = await cluster.NextUpdateAsync(framework, events, "job.1");
            Assert.Equal("TASK_RUNNING", running.GetProperty("state").GetString());
            Assert.Equal("SOURCE_EXECUTOR", running.GetProperty("source").GetString());
            Assert.Equal("started by the test executor", running.GetProperty("message").GetString());
            // The executor's 16 uuid bytes, as every Minuet update carries them on this (simplified) API: GUID text.
            Assert.True(Guid.TryParse(running.GetProperty("uuid").GetString(), out _), running.GetRawText());

            var finished = await cluster.NextUpdateAsync(framework, events, "job.1");
            Assert.Equal("TASK_FINISHED", finished.GetProperty("state").GetString());
        }

        // The executor's environment is Mesos's, and its sandbox is listed in the agent's state and readable through /files.
        using var state = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync("/slave(1)/state"));
        var frameworkState = state.RootElement.GetProperty("frameworks").EnumerateArray().Single(f => f.GetProperty("id").GetString() == framework);
        var executor = frameworkState.GetProperty("executors").EnumerateArray().Concat(frameworkState.GetProperty("completed_executors").EnumerateArray())
            .Single(e => e.GetProperty("id").GetString() == "exec-1");
        string directory = executor.GetProperty("directory").GetString()!;
        Assert.Contains("/executors/" + framework + "/exec-1/runs/", directory, StringComparison.Ordinal);
        await LoopbackWait.UntilAsync(async () => (await cluster.AgentHttp.GetAsync($"/files/read?path={Uri.EscapeDataString(directory + "/env.txt")}&offset=0")).IsSuccessStatusCode, "env.txt");
        using var read = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync($"/files/read?path={Uri.EscapeDataString(directory + "/env.txt")}&offset=0"));
        var env = read.RootElement.GetProperty("data").GetString()!.Split('\n').Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(framework, env["MESOS_FRAMEWORK_ID"]);
        Assert.Equal("exec-1", env["MESOS_EXECUTOR_ID"]);
        Assert.Equal($"127.0.0.1:{cluster.Agent.Port}", env["MESOS_AGENT_ENDPOINT"]);
        Assert.Equal(directory, env["MESOS_DIRECTORY"]);
        Assert.Equal(directory, env["MESOS_SANDBOX"]);
        Assert.Equal(cluster.AgentId, env["MESOS_SLAVE_ID"]);
        Assert.Equal(cluster.AgentId, env["MESOS_AGENT_ID"]);
        Assert.Equal("0", env["MESOS_HTTP_COMMAND_EXECUTOR"]);
        Assert.Equal("1", env["MESOS_CHECKPOINT"]);
        Assert.Equal("15mins", env["MESOS_RECOVERY_TIMEOUT"]);
        Assert.Equal($"slave(1)@127.0.0.1:{cluster.Agent.Port}", env["MESOS_SLAVE_PID"]);
        Assert.EndsWith("secs", env["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"], StringComparison.Ordinal);

        // Both UPDATE calls were answered 202.
        await LoopbackWait.UntilAsync(async () => (await cluster.AgentHttp.GetAsync($"/files/read?path={Uri.EscapeDataString(directory + "/codes")}&offset=0")).IsSuccessStatusCode, "codes");
        using var codes = JsonDocument.Parse(await cluster.AgentHttp.GetStringAsync($"/files/read?path={Uri.EscapeDataString(directory + "/codes")}&offset=0"));
        Assert.Equal("202\n202\n", codes.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public async Task CustomExecutor_SecondTaskForTheSameExecutor_GoesToTheRunningExecutorAsLaunch()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string command = ExecutorScripts.Install(Path.Combine(cluster.Root, "scripts"), "two", ExecutorScripts.RunsTwoTasks);
        var (framework, events) = await cluster.SubscribeFrameworkAsync();
        using (events)
        {
            await cluster.LaunchAsync(framework, events, ExecutorTask("job.a", "exec-shared", command));
            var first = await cluster.NextUpdateAsync(framework, events, "job.a");
            Assert.Equal("TASK_RUNNING", first.GetProperty("state").GetString());
            string pid = first.GetProperty("message").GetString()!;

            // Straight at the agent's launch API: the executor is subscribed, so the task reaches it as a LAUNCH event.
            using var launch = await cluster.AgentHttp.PostAsync("/api/v1/tasks", new StringContent(
                "{\"task_id\":\"job.b\",\"name\":\"job.b\",\"framework_id\":\"" + framework + "\",\"agent_id\":\"" + cluster.AgentId + "\"," +
                "\"command\":{\"value\":\"unused\"},\"resources\":{\"cpus\":0.1,\"mem\":16}," +
                "\"executor\":{\"executor_id\":\"exec-shared\",\"command\":{\"value\":\"" + command + "\"}}}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, launch.StatusCode);
            await LoopbackWait.UntilAsync(() => Task.FromResult(cluster.Agent.Runtime.LatestStatus("job.b")?.State == "TASK_FINISHED"), "job.b finished");
            Assert.Equal(pid, cluster.Agent.Runtime.LatestStatus("job.b")!.Message);
        }

        Assert.Single(cluster.Agent.Runtime.ExecutorViews(), e => e.Info.ExecutorId == "exec-shared");
    }

    [Fact]
    public async Task CustomExecutor_DiesWithItsTaskRunning_TaskFailsWithExecutorTerminated()
    {
        await using var cluster = await MesosCluster.StartAsync();
        string command = ExecutorScripts.Install(Path.Combine(cluster.Root, "scripts"), "dies", ExecutorScripts.DiesAfterRunning);
        var (framework, events) = await cluster.SubscribeFrameworkAsync();
        using (events)
        {
            await cluster.LaunchAsync(framework, events, ExecutorTask("job.2", "exec-dies", command));
            Assert.Equal("TASK_RUNNING", (await cluster.NextUpdateAsync(framework, events, "job.2")).GetProperty("state").GetString());
            var failed = await cluster.NextUpdateAsync(framework, events, "job.2");
            Assert.Equal("TASK_FAILED", failed.GetProperty("state").GetString());
            Assert.Equal("REASON_EXECUTOR_TERMINATED", failed.GetProperty("reason").GetString());
            Assert.Equal("SOURCE_SLAVE", failed.GetProperty("source").GetString());
            Assert.Contains("exit status 3", failed.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CustomExecutor_NeverSubscribes_IsKilledAfterTheRegistrationTimeoutAndItsTaskFails()
    {
        await using var cluster = await MesosCluster.StartAsync(executorRegistrationTimeout: TimeSpan.FromSeconds(1));
        var (framework, events) = await cluster.SubscribeFrameworkAsync();
        using (events)
        {
            await cluster.LaunchAsync(framework, events, ExecutorTask("job.3", "exec-silent", "sleep 60"));
            var failed = await cluster.NextUpdateAsync(framework, events, "job.3");
            Assert.Equal("TASK_FAILED", failed.GetProperty("state").GetString());
            Assert.Equal("REASON_EXECUTOR_REGISTRATION_TIMEOUT", failed.GetProperty("reason").GetString());
        }

        Assert.DoesNotContain(cluster.Agent.Runtime.ExecutorViews(), e => e.Live);
    }

    [Theory]
    [InlineData("""{"type":"UPDATE","framework_id":{"value":"nope"},"executor_id":{"value":"e"},"update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","uuid":"hTaLQ0b5Q1OZuab7QclTKQ=="}}}""", 400, "Framework cannot be found")]
    [InlineData("""{"type":"UPDATE","framework_id":{"value":"f"},"executor_id":{"value":"e"},"update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR"}}}""", 400, "Expecting 'uuid' to be present")]
    [InlineData("""{"type":"UPDATE","framework_id":{"value":"f"},"executor_id":{"value":"e"},"update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR","uuid":"f3e2d1c0-1234-4abc-9def-0123456789ab-xyz"}}}""", 400, "16 bytes")]
    [InlineData("""{"type":"UPDATE","framework_id":{"value":"f"},"executor_id":{"value":"e"},"update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"hTaLQ0b5Q1OZuab7QclTKQ=="}}}""", 400, "expecting 'SOURCE_EXECUTOR'")]
    [InlineData("""{"type":"SUBSCRIBE","framework_id":{"value":"f"},"subscribe":{}}""", 400, "Expecting 'executor_id' to be present")]
    [InlineData("""{"type":"NOT_A_CALL","framework_id":{"value":"f"},"executor_id":{"value":"e"}}""", 400, "Expecting 'type' to be present")]
    public async Task ExecutorEndpoint_InvalidCalls_AnswerMesosStatusWithPlainText(string body, int status, string mention)
    {
        await using var cluster = await MesosCluster.StartAsync();
        foreach (var path in new[] { "/api/v1/executor", "/slave(1)/api/v1/executor" })
        {
            using var response = await MesosCluster.CallAsync(cluster.AgentHttp, path, body);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(mention, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
