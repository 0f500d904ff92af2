using System.Net;
using System.Net.Http.Json;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>The agent's HTTP endpoint as the master calls it (through <see cref="AgentClient"/>), with no master running.</summary>
public sealed class AgentHttpTests
{
    [Fact]
    public async Task AgentClient_LaunchDuplicateInvalidKillUnknown_GetProtocolAnswers()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-agent-http-" + Guid.NewGuid().ToString("N")[..8]);
        var (agent, error) = await AgentHost.StartAsync(new AgentHostOptions
        {
            Master = new Uri("http://127.0.0.1:9/"),
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertiseIp = "127.0.0.1",
            Resources = new AgentResources(new ResourceSet { Cpus = 1, Mem = 256 }, new Dictionary<string, ResourceSet>()),
            Runtime = new AgentRuntimeOptions { WorkDir = dir, Hostname = "h", Address = "127.0.0.1", CgroupRoot = null },
        });
        Assert.True(agent is not null, error);
        int? pid = null;
        try
        {
            using var http = new HttpClient();
            var client = new AgentClient(http);
            var baseUri = AgentClient.BaseUri("127.0.0.1", agent.Port);
            var launch = new LaunchTaskRequest
            {
                TaskId = "http.1", Name = "n", FrameworkId = "f", AgentId = "any-S0",
                Command = new CommandInfo { Value = "sleep 60" }, Resources = new ResourceSet { Cpus = 0.1, Mem = 32 },
            };

            var first = await client.LaunchAsync(baseUri, launch, CancellationToken.None);
            var again = await client.LaunchAsync(baseUri, launch, CancellationToken.None);
            var invalid = await client.LaunchAsync(baseUri, launch with { TaskId = "http.2", Command = new CommandInfo { Shell = true } }, CancellationToken.None);
            var unknown = await client.KillAsync(baseUri, new KillTaskRequest { TaskId = "nope" }, CancellationToken.None);
            using var malformed = await http.PostAsync(new Uri(baseUri, ProtocolRoutes.LaunchTask), new StringContent("{\"task_id\":", System.Text.Encoding.UTF8, "application/json"));
            for (int i = 0; i < 200 && pid is null; i++)
            {
                pid = agent.Runtime.TaskPid("http.1");
                await Task.Delay(25);
            }

            var (second, secondError) = await AgentHost.StartAsync(new AgentHostOptions
            {
                Master = new Uri("http://127.0.0.1:9/"),
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Resources = new AgentResources(new ResourceSet(), new Dictionary<string, ResourceSet>()),
                Runtime = new AgentRuntimeOptions { WorkDir = dir, Hostname = "h2", Address = "127.0.0.1", CgroupRoot = null },
            });
            Assert.Null(second);
            Assert.Contains("is in use by another agent", secondError, StringComparison.Ordinal);

            var kill = await client.KillAsync(baseUri, new KillTaskRequest { TaskId = "http.1", GracePeriodSeconds = 0 }, CancellationToken.None);
            var state = await http.GetFromJsonAsync(new Uri(baseUri, ProtocolRoutes.AgentState), ProtocolJsonContext.Default.AgentStateResponse);

            Assert.Equal(HttpStatusCode.Accepted, first.Status);
            Assert.True(again.Accepted);
            Assert.Equal(ProtocolErrorCodes.DuplicateTask, again.Error!.Code);
            Assert.False(invalid.Accepted);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Status);
            Assert.Contains(invalid.Error!.Details, d => d.Path == "/command/value");
            Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
            Assert.Equal(ProtocolErrorCodes.UnknownTask, unknown.Error!.Code);
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, kill.Status);
            Assert.Contains(state!.Tasks, t => t.Launch.TaskId == "http.1");
        }
        finally
        {
            await agent.DisposeAsync();
            if (pid is { } p)
            {
                AgentInterop.Kill(-p, AgentInterop.SIGKILL);
            }

            Directory.Delete(dir, recursive: true);
        }
    }
}
