using System.Text.Json.Nodes;
using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>The shipped binaries: an agent process restarted under a running task re-adopts it.</summary>
public sealed class CliClusterTests
{
    [Fact]
    public async Task AgentProcessRestart_RunningTaskSurvivesIsReadoptedAndKillable()
    {
        await using var cluster = new CliCluster();
        cluster.StartMaster();
        await WaitHttpAsync(cluster, new Uri(cluster.Master, "master/state"));
        var agent = cluster.StartAgent();
        await cluster.SubscribeAsync();
        var offers = await cluster.WaitEventAsync(e => (string?)e["type"] == "OFFERS", "an offer");
        string offerId = (string)offers["offers"]![0]!["id"]!;

        await cluster.CallAsync("accept", new JsonObject
        {
            ["framework_id"] = cluster.FrameworkId,
            ["offer_ids"] = new JsonArray(offerId),
            ["tasks"] = new JsonArray(new JsonObject
            {
                ["task_id"] = "cli.1", ["name"] = "cli", ["command"] = new JsonObject { ["value"] = "sleep 120" },
                ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 32, ["ports"] = new JsonArray(new JsonObject { ["begin"] = 31000, ["end"] = 31000 }) },
            }),
        });
        var running = await cluster.WaitStateAsync("cli.1", "TASK_RUNNING");
        var agentState = await cluster.GetAsync($"http://127.0.0.1:{cluster.AgentPort}/api/v1/state");
        int pid = (int)agentState["tasks"]![0]!["latest_status"]!["container_status"]!["executor_pid"]!;
        try
        {
            Assert.Equal(0, AgentInterop.Kill(agent.Id, AgentInterop.SIGTERM));
            await agent.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(0, agent.ExitCode);
            Assert.True(ProcStat.GroupHasLiveMembers(pid), "the task outlives its agent");

            cluster.StartAgent();
            await WaitHttpAsync(cluster, new Uri($"http://127.0.0.1:{cluster.AgentPort}/health"));
            // The agent binds before it recovers: poll until the recovered task shows.
            JsonNode readopted = await cluster.GetAsync($"http://127.0.0.1:{cluster.AgentPort}/api/v1/state");
            for (int i = 0; i < 100 && readopted["tasks"]!.AsArray().Count == 0; i++)
            {
                await Task.Delay(100);
                readopted = await cluster.GetAsync($"http://127.0.0.1:{cluster.AgentPort}/api/v1/state");
            }

            Assert.Equal("TASK_RUNNING", (string?)readopted["tasks"]![0]!["latest_status"]!["state"]);
            Assert.Equal(pid, (int)readopted["tasks"]![0]!["latest_status"]!["container_status"]!["executor_pid"]!);

            await cluster.CallAsync("kill", new JsonObject { ["framework_id"] = cluster.FrameworkId, ["task_id"] = "cli.1" });
            var killed = await cluster.WaitStateAsync("cli.1", "TASK_KILLED");

            Assert.Equal(143, (int?)killed["update"]!["exit_code"]);
            Assert.Equal((string?)running["update"]!["agent_id"], (string?)killed["update"]!["agent_id"]);
            Assert.False(ProcStat.GroupHasLiveMembers(pid));
        }
        finally
        {
            AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
        }
    }

    private static async Task WaitHttpAsync(CliCluster cluster, Uri uri)
    {
        using var http = new HttpClient();
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync(uri);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{uri} never answered ({cluster.Master})");
    }
}
