using System.Net;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// For tests that run a real <see cref="AgentHost"/> against a real master on 127.0.0.1: the agent's options (fast
/// status retries, no cgroups), a framework that accepts one offer for some tasks, and a teardown that leaves no
/// task process or sandbox behind.
/// </summary>
internal static class RealAgentKit
{
    public static AgentHostOptions Options(Uri master, string workDir, string hostname, IReadOnlyList<Uri>? masters = null) => new()
    {
        Master = master,
        Masters = masters ?? [],
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        AdvertiseIp = "127.0.0.1",
        Resources = new AgentResources(new ResourceSet { Cpus = 1, Mem = 256, Disk = 100 }, new Dictionary<string, ResourceSet>()),
        Runtime = new AgentRuntimeOptions
        {
            WorkDir = workDir,
            Hostname = hostname,
            Address = "127.0.0.1",
            CgroupRoot = null,
            StatusRetryInitial = TimeSpan.FromMilliseconds(50),
            StatusRetryMax = TimeSpan.FromMilliseconds(200),
        },
    };

    /// <summary>Subscribes a framework named <paramref name="name"/> and launches <paramref name="tasks"/> on the first offer.</summary>
    public static async Task LaunchAsync(MasterCore master, string name, IReadOnlyList<TaskSpec> tasks)
    {
        var (connection, subscribeError) = master.Subscribe(new SubscribeRequest { Name = name });
        Assert.Null(subscribeError);
        var framework = (await connection!.Events.ReadAsync()).Subscribed!.FrameworkId;
        OfferInfo? offer = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (offer is null)
        {
            var e = await connection.Events.ReadAsync(deadline.Token);
            offer = e.Offers is { Count: > 0 } offers ? offers[0] : null;
        }

        Assert.Null(master.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = tasks }));
    }

    public static TaskState? StateOf(MasterCore master, string taskId) =>
        master.Read(m => m.Tasks.TryGetValue(taskId, out var t) ? t.State : (TaskState?)null);

    public static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(25);
        }
    }

    /// <summary>Kills every task's process group, stops the agent, and removes its work directory.</summary>
    public static async Task StopAsync(AgentHost? agent, string workDir)
    {
        if (agent is not null)
        {
            foreach (var task in agent.Runtime.ReportTasks())
            {
                if (agent.Runtime.TaskPid(task.Launch.TaskId) is { } pid)
                {
                    AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
                }
            }

            await agent.DisposeAsync();
        }

        if (Directory.Exists(workDir))
        {
            Directory.Delete(workDir, recursive: true);
        }
    }
}
