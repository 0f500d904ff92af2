using System.Net;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Scheduler.Ha;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Ha;

[Collection(EtcdClusterGroup.Name)]
public sealed class SchedulerFailoverTests
{
    private readonly EtcdCluster _cluster;

    public SchedulerFailoverTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task StandbyProxiesToTheLeader_LeaderKilled_NewLeaderReconcilesWithoutDuplicateLaunches()
    {
        await using var agent = await RecordingAgent.StartAsync();
        await using var master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null,
            new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await master.StartAsync();
        using (var m = new HttpClient { BaseAddress = master.BaseAddress })
        {
            await agent.RegisterAsync(m);
        }

        var s1 = await StartSchedulerAsync(master);
        await WaitAsync(() => s1.IsLeader, TimeSpan.FromSeconds(5), "s1 to lead");
        await using var s2 = await StartSchedulerAsync(master);
        await WaitAsync(() => s2.CurrentLeader is not null, TimeSpan.FromSeconds(5), "s2 to see s1");
        using var h2 = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = s2.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Through the standby: the leader takes the app and launches it.
        using var created = await h2.PostAsync("/v2/apps", new StringContent("""{"id":"/web","cmd":"sleep 100","instances":2,"cpus":0.1,"mem":32}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(s1.BaseAddress.ToString().TrimEnd('/'), created.Headers.GetValues("X-Marathon-Leader").Single());
        await WaitAsync(() => agent.LaunchCount == 2, TimeSpan.FromSeconds(10), "two launches");
        var apps = JsonDocument.Parse(await h2.GetStringAsync("/v2/apps")).RootElement;
        Assert.Equal("/web", apps.GetProperty("apps")[0].GetProperty("id").GetString());
        Assert.Equal($"127.0.0.1:{s1.BaseAddress.Port}", JsonDocument.Parse(await h2.GetStringAsync("/v2/leader")).RootElement.GetProperty("leader").GetString());
        Assert.False(JsonDocument.Parse(await h2.GetStringAsync("/v2/info")).RootElement.GetProperty("elected").GetBoolean());

        await s1.DisposeWithoutResignAsync();
        await WaitAsync(() => s2.IsLeader, 2 * Ttl + TimeSpan.FromSeconds(1), "s2 to lead after s1 died");
        await WaitAsync(() => s2.Leader?.Core.Connected == true, TimeSpan.FromSeconds(10), "s2 to subscribe with the master");

        // Several ticks and offer rounds later the new leader still counts both tasks it loaded: nothing launched again.
        using (var ticks = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
        {
            while (!ticks.IsCancellationRequested && agent.LaunchCount == 2)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }

        Assert.Equal(2, agent.LaunchCount);
        Assert.Empty(agent.Kills);
        var app = JsonDocument.Parse(await h2.GetStringAsync("/v2/apps/web")).RootElement.GetProperty("app");
        Assert.Equal(2, app.GetProperty("tasks").GetArrayLength());
        Assert.True(JsonDocument.Parse(await h2.GetStringAsync("/v2/info")).RootElement.GetProperty("elected").GetBoolean());
    }

    [EtcdFact]
    public async Task DeleteLeader_LeaderAbdicatesAndTheStandbyLeads()
    {
        await using var master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null, new MasterOptions { AdvertiseIp = "127.0.0.1" });
        await master.StartAsync();
        await using var s1 = await StartSchedulerAsync(master);
        await WaitAsync(() => s1.IsLeader, TimeSpan.FromSeconds(5), "s1 to lead");
        await using var s2 = await StartSchedulerAsync(master);
        await WaitAsync(() => s2.CurrentLeader is not null, TimeSpan.FromSeconds(5), "s2 to see s1");
        using var h1 = new HttpClient { BaseAddress = s1.BaseAddress };
        using var response = await h1.DeleteAsync("/v2/leader");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("abdicated", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await WaitAsync(() => s2.IsLeader, TimeSpan.FromSeconds(5), "s2 to lead after s1 abdicated");
        Assert.False(s1.IsLeader);
    }

    private async Task<HaSchedulerHost> StartSchedulerAsync(MasterHost master)
    {
        var host = HaSchedulerHost.Create(new SchedulerHostOptions
        {
            MarathonListen = new IPEndPoint(IPAddress.Loopback, 0),
            MasterUrl = master.BaseAddress,
            Scheduler = new SchedulerOptions { TickInterval = TimeSpan.FromMilliseconds(200) },
        }, _cluster.Endpoints, Ttl);
        await host.StartAsync();
        return host;
    }
}
