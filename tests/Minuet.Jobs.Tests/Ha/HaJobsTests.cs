using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.Platform.Jobs;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Ha;
using Minuet.TestSupport;

namespace Minuet.Jobs.Tests.Ha;

/// <summary>
/// Two jobs services on one real etcd, a real in-process master and an agent that records launches: one leads on
/// <c>/minuet/metronome/leader</c> and launches, the other proxies both APIs to it and, once the leader dies, loads
/// the store, reconciles and launches nothing the old leader launched.
/// </summary>
[Collection(EtcdMemberGroup.Name)]
public sealed class HaJobsTests
{
    /// <summary>Long enough that a CPU-starved test process keeps the lease it means to keep.</summary>
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    /// <summary>Waits end on the event; the limit only bounds a failure.</summary>
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string EveryMinute = """{"id":"ha.tick","run":{"cmd":"true","cpus":0.1,"mem":32,"disk":0},"schedules":[{"id":"s","cron":"* * * * *","timezone":"UTC"}]}""";

    private readonly EtcdMember _etcd;
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-06-01T10:00:30Z", CultureInfo.InvariantCulture));

    public HaJobsTests(EtcdMember etcd)
    {
        _etcd = etcd;
        _etcd.Clear();
    }

    [EtcdFact]
    public async Task TwoServicesOnOneEtcd_ScheduledRunDue_OnlyTheLeaderLaunchesItOnce()
    {
        await using var agent = await RecordingAgent.StartAsync();
        await using var master = await StartMasterAsync(agent);
        await using var j1 = await StartJobsAsync(master);
        await WaitAsync(() => j1.IsLeader, "j1 to lead");
        await using var j2 = await StartJobsAsync(master);
        await WaitAsync(() => j2.CurrentLeader is not null, "j2 to see j1 lead");
        using var h2 = Client(j2);

        // Created through the standby: the leader stores it.
        using (var created = await h2.PostAsync("/v1/jobs", Json(EveryMinute)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(j1.BaseAddress.ToString().TrimEnd('/'), created.Headers.GetValues("X-Metronome-Leader").Single());
        }

        await WaitAsync(() => j1.Leader?.Core.Subscribed == true, "j1 to subscribe");
        _time.Advance(TimeSpan.FromMinutes(1));
        await WaitAsync(() => agent.Launched.Count >= 1, "the 10:01 run to launch");

        var task = Assert.Single(agent.Launched);
        Assert.StartsWith("ha.tick_", task, StringComparison.Ordinal);
        Assert.Null(j2.Leader);
        Assert.False(j2.IsLeader);
        var runs = await GetJsonAsync(h2, "/v1/jobs/ha.tick/runs");
        Assert.Equal(task.Split('_')[1].Split('.')[0], Assert.Single(runs.EnumerateArray()).GetProperty("id").GetString());
    }

    [EtcdFact]
    public async Task LeaderKilled_StandbyLeads_RunOfTheOldLeaderReconciledNotRelaunched()
    {
        await using var agent = await RecordingAgent.StartAsync();
        await using var master = await StartMasterAsync(agent);
        var j1 = await StartJobsAsync(master);
        await WaitAsync(() => j1.IsLeader, "j1 to lead");
        await using var j2 = await StartJobsAsync(master);
        await WaitAsync(() => j2.CurrentLeader is not null, "j2 to see j1 lead");
        using (var h1 = Client(j1))
        using (var created = await h1.PostAsync("/v1/jobs", Json(EveryMinute)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await WaitAsync(() => j1.Leader?.Core.Subscribed == true, "j1 to subscribe");
        _time.Advance(TimeSpan.FromMinutes(1));
        await WaitAsync(() => agent.Launched.Count >= 1, "the 10:01 run to launch");
        var task = Assert.Single(agent.Launched);
        string runId = j1.Leader!.Core.Read(jobs => jobs["ha.tick"].Active.Single().Id);

        // A crash: the lease is left to expire, nothing resigns.
        await j1.DisposeWithoutResignAsync();
        await WaitAsync(() => j2.IsLeader, "j2 to lead after j1 died");
        var core = j2.Leader!.Core;
        await WaitAsync(() => core.Subscribed && core.Reconciled, "j2 to subscribe and reconcile the stored task with the master");

        // Offers keep coming every 100 ms; over many of them the new leader launches nothing: the old leader's run
        // is adopted, and its occurrence (10:01) is not due again.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2) && agent.Launched.Count == 1)
        {
            await Task.Delay(50);
        }

        Assert.Equal([task], agent.Launched);
        var active = core.Read(jobs => jobs["ha.tick"].Active.Select(r => (r.Id, Task: r.Current?.Id)).ToList());
        Assert.Equal((runId, (string?)task), Assert.Single(active));

        // The next occurrence is still launched, once, by the new leader.
        _time.Advance(TimeSpan.FromMinutes(1));
        await WaitAsync(() => agent.Launched.Count >= 2, "the 10:02 run to launch");
        Assert.Equal(2, agent.Launched.Count);
        Assert.Equal(2, agent.Launched.Distinct().Count());
    }

    [EtcdFact]
    public async Task Standby_MetronomeAndChronosApis_AnswerWithTheLeadersData()
    {
        await using var agent = await RecordingAgent.StartAsync();
        await using var master = await StartMasterAsync(agent);
        await using var j1 = await StartJobsAsync(master);
        await WaitAsync(() => j1.IsLeader, "j1 to lead");
        await using var j2 = await StartJobsAsync(master);
        await WaitAsync(() => j2.CurrentLeader is not null, "j2 to see j1 lead");
        using var h1 = Client(j1);
        using var h2 = Client(j2);
        using (var created = await h1.PostAsync("/v1/jobs", Json("""{"id":"leaders.job","description":"only on the leader","run":{"cmd":"echo hi","cpus":0.1,"mem":32,"disk":0}}""")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var chronos = await h2.PostAsync("/v1/scheduler/iso8601", Json("""{"name":"chronos-job","command":"date","schedule":"R/2026-01-01T00:00:00Z/PT1H"}""")))
        {
            Assert.Equal(HttpStatusCode.NoContent, chronos.StatusCode);
        }

        var job = await GetJsonAsync(h2, "/v1/jobs/leaders.job");
        Assert.Equal("only on the leader", job.GetProperty("description").GetString());
        var ids = (await GetJsonAsync(h2, "/v1/jobs")).EnumerateArray().Select(j => j.GetProperty("id").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["chronos-job", "leaders.job"], ids);
        var names = (await GetJsonAsync(h2, "/v1/scheduler/jobs")).EnumerateArray().Select(j => j.GetProperty("name").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["chronos-job", "leaders.job"], names);
        Assert.True(j1.Leader!.Core.Read(jobs => jobs.ContainsKey("chronos-job")));
        Assert.Null(j2.Leader);
    }

    private static async Task<MasterHost> StartMasterAsync(RecordingAgent agent)
    {
        var master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null,
            new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await master.StartAsync();
        await agent.RegisterAsync(master.BaseAddress);
        return master;
    }

    private async Task<HaJobsHost> StartJobsAsync(MasterHost master)
    {
        var host = HaJobsHost.Create(new JobsHostOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            ChronosListen = null,
            Masters = [master.BaseAddress],
            Jobs = new JobsOptions { TickInterval = TimeSpan.FromMilliseconds(100) },
        }, _etcd.Endpoints, Ttl, time: _time);
        await host.StartAsync();
        return host;
    }

    private static HttpClient Client(HaJobsHost host) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Wait)
            {
                Assert.Fail($"timed out after {Wait.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }
}
