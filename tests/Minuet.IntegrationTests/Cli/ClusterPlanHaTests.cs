using System.Net;
using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>up --masters 3</c>'s plan: three etcd members, three masters and schedulers on etcd, every follower given every master.</summary>
public sealed class ClusterPlanHaTests
{
    private static UpOptions Ha(Func<IPEndPoint, bool>? isFree = null) =>
        ClusterPlan.ChooseHa(new UpOptions { StateDir = "/s", EtcdPath = "/usr/bin/etcd" }, 3, isFree ?? (_ => true));

    [Fact]
    public void ChooseHa_AllPortsFree_UsesTheIssuesEtcdPortsAndSkipsTheAgentPort()
    {
        var options = Ha();

        Assert.Equal([2379, 22379, 32379], options.Etcd.Select(m => m.ClientPort));
        Assert.Equal([2380, 22380, 32380], options.Etcd.Select(m => m.PeerPort));
        Assert.Equal(["127.0.0.1:5050", "127.0.0.1:5052", "127.0.0.1:5053"], options.MasterListens.Select(e => e.ToString())); // agent 0 has 127.0.0.1:5051
        Assert.Equal(["127.0.0.1:8080", "127.0.0.1:8081", "127.0.0.1:8082"], options.MarathonListens.Select(e => e.ToString()));
        Assert.Equal(["127.0.0.1:9000", "127.0.0.1:9001", "127.0.0.1:9002"], options.JobsListens.Select(j => j.Metronome.ToString()));
        Assert.Equal(["127.0.0.1:4400", "127.0.0.1:4401", "127.0.0.1:4402"], options.JobsListens.Select(j => j.Chronos.ToString()));
        Assert.Equal(options.MasterListens[0], options.MasterListen);
        Assert.True(options.HighAvailability);
    }

    [Fact]
    public void ChooseHa_SomePortsTaken_PicksTheNextFreeOnes()
    {
        var busy = new HashSet<int> { 5050, 2379, 8081 };

        var options = Ha(e => !busy.Contains(e.Port));

        Assert.Equal(2380, options.Etcd[0].ClientPort);
        Assert.Equal(2381, options.Etcd[0].PeerPort);
        Assert.Equal([5052, 5053, 5054], options.MasterListens.Select(e => e.Port));
        Assert.Equal([8080, 8082, 8083], options.MarathonListens.Select(e => e.Port));
    }

    [Fact]
    public void Build_ThreeMasters_StartsEtcdFirstWithAStaticInitialClusterThenMastersAndSchedulersOnEtcd()
    {
        var options = Ha();

        var members = ClusterPlan.Build(options);

        Assert.Equal(["etcd0", "etcd1", "etcd2", "master0", "master1", "master2", "scheduler0", "scheduler1", "scheduler2", "agent0", "dataplane", "packages", "jobs0", "jobs1", "jobs2", "admin-router"], members.Select(m => m.Name));
        var etcd1 = members[1];
        Assert.Equal("/usr/bin/etcd", etcd1.Program);
        Assert.Equal(-1, etcd1.Tier); // stopped last
        Assert.True(members[0].StartWithNext && members[1].StartWithNext && !members[2].StartWithNext); // a quorum must run before any is healthy
        Assert.Equal(new Uri("http://127.0.0.1:32379/health"), members[2].ReadyUrl);
        string initial = "etcd0=http://127.0.0.1:2380,etcd1=http://127.0.0.1:22380,etcd2=http://127.0.0.1:32380";
        Assert.Equal(
            [
                "--name", "etcd1", "--data-dir", "/s/etcd1", "--listen-client-urls", "http://127.0.0.1:22379", "--advertise-client-urls", "http://127.0.0.1:22379",
                "--listen-peer-urls", "http://127.0.0.1:22380", "--initial-advertise-peer-urls", "http://127.0.0.1:22380",
                "--initial-cluster", initial, "--initial-cluster-token", "minuet-etcd", "--initial-cluster-state", "new",
            ],
            etcd1.Arguments);

        string endpoints = "http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379";
        string masters = "http://127.0.0.1:5050,http://127.0.0.1:5052,http://127.0.0.1:5053";
        var master2 = members.Single(m => m.Name == "master2");
        Assert.Null(master2.Program);
        Assert.Equal(["master", "--listen", "127.0.0.1:5053", "--state-dir", "/s/master2", "--store", "etcd", "--etcd-endpoints", endpoints], master2.Arguments.Take(9));
        var scheduler1 = members.Single(m => m.Name == "scheduler1");
        Assert.Equal(
            ["scheduler", "--master", masters, "--marathon-listen", "127.0.0.1:8081", "--state-dir", "/s/scheduler1", "--hostname", "127.0.0.1", "--store", "etcd", "--etcd-endpoints", endpoints],
            scheduler1.Arguments);
        Assert.Equal(masters, Arg(members.Single(m => m.Name == "agent0"), "--master"));
        Assert.Equal(masters, Arg(members.Single(m => m.Name == "dataplane"), "--master-url"));
        Assert.Equal(
            ["jobs", "--listen", "127.0.0.1:9001", "--chronos-listen", "127.0.0.1:4401", "--master", masters, "--hostname", "127.0.0.1", "--store", "etcd", "--etcd-endpoints", endpoints],
            members.Single(m => m.Name == "jobs1").Arguments);
    }

    [Fact]
    public void Build_ThreeMastersWithLeaderTtl_GivesItToEveryElectedMemberAndToNothingElse()
    {
        var members = ClusterPlan.Build(Ha() with { LeaderTtl = TimeSpan.FromSeconds(3) });

        var elected = members.Where(m => m.Name.StartsWith("master", StringComparison.Ordinal) || m.Name.StartsWith("scheduler", StringComparison.Ordinal) || m.Name.StartsWith("jobs", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, elected.Count);
        Assert.All(elected, m => Assert.Equal("3000ms", Arg(m, "--leader-ttl")));
        Assert.All(members.Except(elected), m => Assert.DoesNotContain("--leader-ttl", m.Arguments));
    }

    [Fact]
    public void AgentPorts_ThreeMasters_OfferNoneOfThePlansOwnPorts()
    {
        var options = Ha();

        var ranges = ClusterPlan.AgentPorts(options, 0);

        foreach (int own in new[] { 2379, 2380, 22379, 22380, 5052, 5053, 8082 })
        {
            Assert.DoesNotContain(ranges, r => r.Begin <= own && own <= r.End);
        }
    }

    [Fact]
    public void Build_OneMaster_KeepsTheSqliteMasterAndItsNames()
    {
        var members = ClusterPlan.Build(new UpOptions { StateDir = "/s" });

        Assert.Equal(["master", "scheduler", "agent0", "dataplane", "packages", "jobs", "admin-router"], members.Select(m => m.Name));
        Assert.DoesNotContain("--store", members[0].Arguments);
        Assert.Equal("http://127.0.0.1:5050", Arg(members[2], "--master"));
    }

    [Fact]
    public void Endpoints_ThreeMasters_ListEveryMasterSchedulerAndEtcdMember()
    {
        var endpoints = UpEndpoints.For(Ha(), 42);

        Assert.Equal("http://127.0.0.1:5050", endpoints.Master);
        Assert.Equal(["http://127.0.0.1:5050", "http://127.0.0.1:5052", "http://127.0.0.1:5053"], endpoints.Masters);
        Assert.Equal(["http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8082"], endpoints.Marathons);
        Assert.Equal(["http://127.0.0.1:2379", "http://127.0.0.1:22379", "http://127.0.0.1:32379"], endpoints.Etcd);
    }

    private static string Arg(ClusterMember member, string flag) => member.Arguments[member.Arguments.ToList().IndexOf(flag) + 1];
}
