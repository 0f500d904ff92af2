using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.L4lb;

namespace Minuet.DataPlane.Tests.Dns.Records;

public class HostNameCacheTests
{
    [Fact]
    public void Resolve_FastLookup_GivesEveryAddressAndIsNotAskedAgainBeforeRefresh()
    {
        var cache = new HostNameCache((_, _) => Task.FromResult(new[] { IPAddress.Parse("10.0.0.7"), IPAddress.Parse("fd00::7") }));
        Assert.Equal(["10.0.0.7", "fd00::7"], cache.Resolve("sched.example").Select(ip => ip.ToString()));
        Assert.Equal(["10.0.0.7", "fd00::7"], cache.Resolve("SCHED.example").Select(ip => ip.ToString()));
        Assert.Equal(1, cache.Lookups);
    }

    [Fact]
    public void Resolve_SlowLookup_BuildGoesOnWithoutItAndTheNextBuildGetsIt()
    {
        var answer = new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cache = new HostNameCache((_, _) => answer.Task, firstWait: TimeSpan.FromMilliseconds(50));
        Assert.Empty(cache.Resolve("slow.example"));

        answer.SetResult([IPAddress.Parse("10.0.0.8")]);
        Assert.True(SpinWait.SpinUntil(() => cache.Resolve("slow.example").Count == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, cache.Lookups);
    }

    [Fact]
    public async Task Resolve_AfterRefresh_ServesOldAddressesWhileTheNewLookupRuns()
    {
        var time = new ManualTimeProvider();
        var answers = new Queue<TaskCompletionSource<IPAddress[]>>();
        var first = new TaskCompletionSource<IPAddress[]>();
        first.SetResult([IPAddress.Parse("10.0.0.1")]);
        var second = new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        answers.Enqueue(first);
        answers.Enqueue(second);
        var cache = new HostNameCache((_, _) => answers.Dequeue().Task, time, refresh: TimeSpan.FromSeconds(60));
        Assert.Equal("10.0.0.1", Assert.Single(cache.Resolve("moving.example")).ToString());

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("10.0.0.1", Assert.Single(cache.Resolve("moving.example")).ToString());
        second.SetResult([IPAddress.Parse("10.0.0.2")]);
        await Task.Yield();
        Assert.True(SpinWait.SpinUntil(() => cache.Resolve("moving.example")[0].ToString() == "10.0.0.2", TimeSpan.FromSeconds(5)));
        Assert.Equal(2, cache.Lookups);
    }

    [Fact]
    public void Resolve_NameGone_DropsItsAddresses()
    {
        var time = new ManualTimeProvider();
        bool gone = false;
        var cache = new HostNameCache(
            (_, _) => gone ? Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound)) : Task.FromResult(new[] { IPAddress.Parse("10.0.0.3") }),
            time);
        Assert.Single(cache.Resolve("old.example"));
        gone = true;
        time.Advance(HostNameCache.DefaultRefresh);
        cache.Resolve("old.example");
        Assert.True(SpinWait.SpinUntil(() => cache.Resolve("old.example").Count == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Build_ReferenceState_FrameworkWithoutPidResolvesItsHostnameAndPidsWinOverHostnames()
    {
        var asked = new List<string>();
        var cache = new HostNameCache((host, token) =>
        {
            lock (asked)
            {
                asked.Add(host);
            }

            return System.Net.Dns.GetHostAddressesAsync(host, token);
        });
        var builder = new DnsRecordBuilder(new DnsRecordOptions { HostResolver = cache.Resolve });
        var records = builder.Build(StateFixtures.Load(StateFixtures.Current));

        // "no pid" has only hostname "localhost": looked up as Mesos-DNS does; the system's answer is the record.
        var expected = System.Net.Dns.GetHostAddresses("localhost").Where(ip => ip.AddressFamily == AddressFamily.InterNetwork).Select(ip => ip.ToString()).Order();
        Assert.Contains("127.0.0.1", expected);
        Assert.Equal(expected, records.Names["nopid.mesos"].A.Select(ip => ip.ToString()).Order());
        Assert.False(records.Names.ContainsKey("_framework._tcp.nopid.mesos"));
        // marathon has pid 1.2.3.11 and hostname google.com: the pid wins and nothing is looked up for it.
        Assert.Equal("1.2.3.11", Assert.Single(records.Names["marathon.mesos"].A).ToString());
        Assert.Equal(["localhost"], asked);
    }

    [Fact]
    public void Build_PidsWithHostnames_FrameworkAndAgentRecordsCarryTheLookedUpAddresses()
    {
        var table = new Dictionary<string, IPAddress[]>
        {
            ["sched.example"] = [IPAddress.Parse("10.9.9.9"), IPAddress.Parse("fd00::9")],
            ["agent1.example"] = [IPAddress.Parse("10.8.8.8")],
        };
        var cache = new HostNameCache((host, _) => Task.FromResult(table[host]));
        var state = new ClusterState
        {
            Agents = [new AgentInfo { Id = "a-1", Pid = "slave(1)@agent1.example:5051" }],
            Frameworks =
            [
                new FrameworkInfo
                {
                    Id = "f", Name = "marathon", Pid = "scheduler-1@sched.example:25501", Hostname = "other.example",
                    Tasks = [new TaskInfo { Id = "web.1", Name = "web", FrameworkId = "f", AgentId = "a-1", State = "TASK_RUNNING" }],
                },
            ],
        };
        var records = new DnsRecordBuilder(new DnsRecordOptions { HostResolver = cache.Resolve }).Build(state);

        Assert.Equal("10.9.9.9", Assert.Single(records.Names["marathon.mesos"].A).ToString());
        Assert.Equal("fd00::9", Assert.Single(records.Names["marathon.mesos"].Aaaa).ToString());
        Assert.Equal(new SrvValue("marathon.mesos", 25501), Assert.Single(records.Names["_framework._tcp.marathon.mesos"].Srv));
        Assert.Equal("10.8.8.8", Assert.Single(records.Names["slave.mesos"].A).ToString());
        // The task's host IP source is its agent's looked-up address.
        Assert.Equal("10.8.8.8", Assert.Single(records.Names["web.marathon.mesos"].A).ToString());
    }
}
