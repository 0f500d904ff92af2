using System.Globalization;
using System.Text;
using System.Text.Json;
using Minuet.Cli.Cluster;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.MesosApi;

/// <summary>
/// A framework written against Mesos's v1 scheduler API launches a custom executor (a shell script speaking the v1
/// executor API) on a real <c>minuet up</c> in a network namespace: the task runs, messages go both ways, the
/// executor survives a kill -9 of its agent (re-subscribing to the restarted one) and finishes its task.
/// </summary>
public sealed class CustomExecutorUpNetnsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [NetnsFact]
    public async Task Up_FrameworkLaunchesCustomExecutor_RunsExchangesMessagesSurvivesAgentKill9AndFinishes()
    {
        using var up = UpInNetns.Start("mexec", "--agents", "1", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(120));
        string endpointsFile = Path.Combine(up.StateDir, UpEndpoints.FileName);
        await UpInNetns.WaitAsync(() => File.Exists(endpointsFile), "endpoints.json", () => up.Output, TimeSpan.FromSeconds(10));
        var master = new Uri(UpEndpoints.TryRead(endpointsFile, checkAlive: false)!.Master);
        string outDir = Path.Combine(up.Dir, "executor-out");
        Directory.CreateDirectory(outDir);
        string command = ShellExecutor.Install(Path.Combine(up.Dir, "executor"));

        await using var framework = await NetnsV1Framework.SubscribeAsync(up.Namespace, master,
            """{"user":"root","name":"e2e-custom-executor","checkpoint":true,"failover_timeout":3600}""");
        var offers = await framework.NextAsync(e => NetnsV1Framework.Type(e) == "OFFERS" && Usable(e) is not null, "an offer with 0.2 cpus and 64 MB", Wait);
        var offer = Usable(offers)!.Value;
        string agentId = offer.GetProperty("agent_id").GetProperty("value").GetString()!;
        string resources = """[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},{"name":"mem","type":"SCALAR","scalar":{"value":32}}]""";
        string task = "{\"name\":\"work\",\"task_id\":{\"value\":\"work-1\"},\"agent_id\":{\"value\":\"" + agentId + "\"},\"resources\":" + resources +
            ",\"executor\":{\"executor_id\":{\"value\":\"e2e-exec\"},\"framework_id\":{\"value\":\"" + framework.FrameworkId + "\"},\"name\":\"shell executor\"," +
            "\"command\":{\"value\":\"" + command + "\",\"environment\":{\"variables\":[{\"name\":\"EXECUTOR_OUT\",\"value\":\"" + outDir + "\"}]}}," +
            "\"resources\":" + resources + "}}";
        var accepted = await framework.CallAsync("ACCEPT", "{\"offer_ids\":[" + offer.GetProperty("id").GetRawText() + "],\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[" + task + "]}}]}");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted);

        var running = await framework.NextAsync(e => NetnsV1Framework.IsUpdate(e, "work-1", "TASK_RUNNING"), "TASK_RUNNING of work-1", Wait);
        var status = running.GetProperty("update").GetProperty("status");
        Assert.Equal("SOURCE_EXECUTOR", status.GetProperty("source").GetString());
        Assert.Equal("e2e-exec", status.GetProperty("executor_id").GetProperty("value").GetString());
        Assert.Equal(agentId, status.GetProperty("agent_id").GetProperty("value").GetString());

        // The update carries the executor's uuid (16 bytes, base64) for the framework to acknowledge: without it the
        // master would hold every later update of the task behind this one.
        Assert.Equal(16, Convert.FromBase64String(status.GetProperty("uuid").GetString()!).Length);

        // The executor got Mesos's environment from the agent.
        var env = File.ReadAllLines(Path.Combine(outDir, "env.txt")).Where(l => l.Contains('=', StringComparison.Ordinal))
            .ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(framework.FrameworkId, env["MESOS_FRAMEWORK_ID"]);
        Assert.Equal("e2e-exec", env["MESOS_EXECUTOR_ID"]);
        Assert.Equal(agentId, env["MESOS_SLAVE_ID"]);
        Assert.Equal("1", env["MESOS_CHECKPOINT"]);

        // Scheduler → executor and executor → scheduler.
        await ExchangeAsync(framework, agentId, "ping");

        // kill -9 of the agent: up restarts it; the executor keeps running, subscribes to the new agent and still
        // exchanges messages (which also proves the agent re-registered with its executor's task).
        int executorPid = int.Parse(File.ReadAllText(Path.Combine(outDir, "pid")).Trim(), CultureInfo.InvariantCulture);
        var executorStat = ProcStat.TryRead(executorPid)!.Value;
        int agentPid = up.BannerPids()["agent0"];
        Assert.Equal(0, AgentInterop.Kill(agentPid, AgentInterop.SIGKILL));
        await up.WaitForOutputAsync("agent0 restarted [pid ", TimeSpan.FromSeconds(90));
        await UpInNetns.WaitAsync(() => Log(outDir).Contains("subscribing again", StringComparison.Ordinal), "the executor noticing its agent died", () => Log(outDir), Wait);
        await ExchangeAsync(framework, agentId, "ping after the agent restarted");
        Assert.True(ProcStat.IsSameLiveProcess(executorStat.Pid, executorStat.StartTime), "the executor process survived the agent's kill -9\n" + Log(outDir));
        Assert.DoesNotContain("TASK_FAILED", framework.Seen, StringComparison.Ordinal);

        // "finish": the executor reports TASK_FINISHED and exits.
        await SendAsync(framework, agentId, "finish");
        await framework.NextAsync(e => NetnsV1Framework.IsUpdate(e, "work-1", "TASK_FINISHED"), "TASK_FINISHED of work-1", Wait);
        await UpInNetns.WaitAsync(() => !ProcStat.IsSameLiveProcess(executorStat.Pid, executorStat.StartTime), "the executor to exit", () => Log(outDir), Wait);
        Assert.Contains("finished", Log(outDir), StringComparison.Ordinal);

        up.Signal(15);
        Assert.True(up.WaitForExit(60_000), "up stops on SIGTERM\n" + up.Output);
    }

    /// <summary>
    /// Sends "text" until the executor's "pong:text" comes back: a framework message is best effort in Mesos (dropped,
    /// not queued, while the agent or executor is not connected), so a framework that needs an answer repeats it.
    /// </summary>
    private static async Task ExchangeAsync(NetnsV1Framework framework, string agentId, string text)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            await SendAsync(framework, agentId, text);
            try
            {
                var reply = await framework.NextAsync(e => NetnsV1Framework.IsMessage(e, "pong:" + text), $"MESSAGE pong:{text}", TimeSpan.FromSeconds(3));
                Assert.Equal(agentId, reply.GetProperty("message").GetProperty("agent_id").GetProperty("value").GetString());
                Assert.Equal("e2e-exec", reply.GetProperty("message").GetProperty("executor_id").GetProperty("value").GetString());
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static async Task SendAsync(NetnsV1Framework framework, string agentId, string text)
    {
        var status = await framework.CallAsync("MESSAGE", "{\"agent_id\":{\"value\":\"" + agentId + "\"},\"executor_id\":{\"value\":\"e2e-exec\"},\"data\":\"" +
            Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) + "\"}");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
    }

    private static string Log(string outDir) => File.Exists(Path.Combine(outDir, "log")) ? File.ReadAllText(Path.Combine(outDir, "log")) : string.Empty;

    /// <summary>The first offer of an OFFERS event with room for the task and its executor.</summary>
    private static JsonElement? Usable(JsonElement offersEvent)
    {
        foreach (var offer in offersEvent.GetProperty("offers").GetProperty("offers").EnumerateArray())
        {
            double Scalar(string name) => offer.GetProperty("resources").EnumerateArray()
                .Where(r => r.GetProperty("name").GetString() == name).Sum(r => r.GetProperty("scalar").GetProperty("value").GetDouble());
            if (Scalar("cpus") >= 0.2 && Scalar("mem") >= 64)
            {
                return offer;
            }
        }

        return null;
    }
}
