using System.Net;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using static Minuet.DataPlane.Tests.Dns.Records.RecordExpectations;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>
/// The record generator against Mesos-DNS's own expectations (records/generator_test.go TestInsertState): the
/// reference state with the leader set to <c>master@144.76.157.37:5050</c> and that master configured.
/// </summary>
public class DnsRecordBuilderTests
{
    private static DnsRecordSet Build(string file, DnsLabelSpec spec, params IpSource[] sources)
    {
        var state = StateFixtures.Load(file) with { Leader = "master@144.76.157.37:5050" };
        var builder = new DnsRecordBuilder(new DnsRecordOptions
        {
            LabelSpec = spec,
            IpSources = sources.Length == 0 ? IpSources.Default : sources,
            Masters = ["144.76.157.37:5050"],
            ListenerAddresses = [IPAddress.Loopback],
        });
        return builder.Build(state);
    }

    // {file, sources ("" = default), name, type, values}; RFC 952 as in Mesos-DNS's TestInsertState.
    public static TheoryData<string, string, string, string, string[]> Rfc952Table()
    {
        var data = new TheoryData<string, string, string, string, string[]>();
        foreach (var file in new[] { StateFixtures.Current, StateFixtures.Dcos113 })
        {
            const string All = "netinfo,docker,mesos,host";
            data.Add(file, All, "big-dog.marathon.mesos.", "A", ["10.3.0.1"]);
            data.Add(file, All, "liquor-store.marathon.mesos.", "A", ["10.3.0.1", "10.3.0.2"]);
            data.Add(file, All, "liquor-store.marathon.slave.mesos.", "A", ["1.2.3.11", "1.2.3.12"]);
            data.Add(file, All, "car-store.marathon.slave.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, All, "nginx.marathon.mesos.", "A", ["10.3.0.3"]);
            data.Add(file, All, "poseidon.marathon.mesos.", "A", []);
            data.Add(file, All, "poseidon.marathon.slave.mesos.", "A", []);
            data.Add(file, All, "master.mesos.", "A", ["144.76.157.37"]);
            data.Add(file, All, "master0.mesos.", "A", ["144.76.157.37"]);
            data.Add(file, All, "leader.mesos.", "A", ["144.76.157.37"]);
            data.Add(file, All, "slave.mesos.", "A", ["1.2.3.10", "1.2.3.11", "1.2.3.12"]);
            data.Add(file, All, "some-box.chronoswithaspaceandmixe.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, All, "marathon.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, All, "toy-store.ipv6-framework.mesos.", "AAAA", ["fd01:b::1:8000:2"]);
            data.Add(file, All, "toy-store.ipv6-framework.slave.mesos.", "AAAA", ["2001:db8::1"]);
            data.Add(file, All, "ipv6-framework.mesos.", "AAAA", ["2001:db8::1"]);
            data.Add(file, All, "slave.mesos.", "AAAA", ["2001:db8::1"]);
            data.Add(file, All, "_big-dog._tcp.marathon.mesos.", "SRV", ["big-dog-4dfjd-0.marathon.mesos.:80", "big-dog-4dfjd-0.marathon.mesos.:443"]);
            data.Add(file, All, "_poseidon._tcp.marathon.mesos.", "SRV", []);
            data.Add(file, All, "_leader._tcp.mesos.", "SRV", ["leader.mesos.:5050"]);
            data.Add(file, All, "_liquor-store._tcp.marathon.mesos.", "SRV",
            [
                "liquor-store-4dfjd-0.marathon.mesos.:80", "liquor-store-4dfjd-0.marathon.mesos.:443",
                "liquor-store-zasmd-1.marathon.mesos.:80", "liquor-store-zasmd-1.marathon.mesos.:443",
            ]);
            data.Add(file, All, "_liquor-store._udp.marathon.mesos.", "SRV", []);
            data.Add(file, All, "_liquor-store.marathon.mesos.", "SRV", []);
            data.Add(file, All, "_https._liquor-store._tcp.marathon.mesos.", "SRV", ["liquor-store-4dfjd-0.marathon.mesos.:443", "liquor-store-zasmd-1.marathon.mesos.:443"]);
            data.Add(file, All, "_http._liquor-store._tcp.marathon.mesos.", "SRV", ["liquor-store-4dfjd-0.marathon.mesos.:80", "liquor-store-zasmd-1.marathon.mesos.:80"]);
            data.Add(file, All, "_car-store._tcp.marathon.mesos.", "SRV", ["car-store-zinaz-0.marathon.slave.mesos.:31364", "car-store-zinaz-0.marathon.slave.mesos.:31365"]);
            data.Add(file, All, "_car-store._udp.marathon.mesos.", "SRV", ["car-store-zinaz-0.marathon.slave.mesos.:31364", "car-store-zinaz-0.marathon.slave.mesos.:31365"]);
            data.Add(file, All, "_slave._tcp.mesos.", "SRV", ["slave.mesos.:5051"]);
            data.Add(file, All, "_framework._tcp.marathon.mesos.", "SRV", ["marathon.mesos.:25501"]);

            data.Add(file, "host", "liquor-store.marathon.mesos.", "A", ["1.2.3.11", "1.2.3.12"]);
            data.Add(file, "host", "liquor-store.marathon.slave.mesos.", "A", ["1.2.3.11", "1.2.3.12"]);
            data.Add(file, "host", "nginx.marathon.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, "host", "car-store.marathon.slave.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, "host", "toy-store.ipv6-framework.mesos.", "AAAA", ["2001:db8::1"]);
            data.Add(file, "host", "toy-store.ipv6-framework.slave.mesos.", "AAAA", ["2001:db8::1"]);

            data.Add(file, "mesos,host", "liquor-store.marathon.mesos.", "A", ["1.2.3.11", "1.2.3.12"]);
            data.Add(file, "mesos,host", "nginx.marathon.mesos.", "A", ["10.3.0.3"]);
            data.Add(file, "mesos,host", "toy-store.ipv6-framework.mesos.", "AAAA", ["2001:db8::1"]);

            data.Add(file, "netinfo", "toy-store.ipv6-framework.mesos.", "AAAA", ["fd01:b::1:8000:2"]);
            data.Add(file, "netinfo", "toy-store.ipv6-framework.slave.mesos.", "AAAA", ["2001:db8::1"]);

            data.Add(file, "docker,host", "liquor-store.marathon.mesos.", "A", ["10.3.0.1", "10.3.0.2"]);
            data.Add(file, "docker,host", "liquor-store.marathon.slave.mesos.", "A", ["1.2.3.11", "1.2.3.12"]);
            data.Add(file, "docker,host", "nginx.marathon.mesos.", "A", ["1.2.3.11"]);
            data.Add(file, "docker,host", "toy-store.ipv6-framework.mesos.", "AAAA", ["2001:db8::1"]);
        }

        // The documents differ in toy-store's network infos; the first source that yields IPs gives all of them.
        data.Add(StateFixtures.Current, "netinfo", "toy-store.ipv6-framework.mesos.", "A", ["12.0.1.3", "12.0.1.2"]);
        data.Add(StateFixtures.Dcos113, "netinfo", "toy-store.ipv6-framework.mesos.", "A", ["12.0.1.2"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rfc952Table))]
    public void Build_Rfc952_MatchesMesosDnsTestInsertState(string file, string sources, string name, string type, string[] expected)
    {
        var parsed = sources.Split(',').Select(s => IpSources.TryParse(s, out var src) ? src : throw new ArgumentException(s)).ToArray();
        AssertValues(Build(file, DnsLabelSpec.Rfc952, parsed), name, type, expected);
    }

    // Default settings (RFC 1123, netinfo,mesos,host) on the current document.
    public static TheoryData<string, string, string[]> Rfc1123Table() => new()
    {
        { "some-box.chronoswithaspaceandmixedcase-2.0.1.mesos.", "A", ["1.2.3.11"] },
        { "chronoswithaspaceandmixedcase-2.0.1.mesos.", "A", ["1.2.3.12"] },
        { "_framework._tcp.chronoswithaspaceandmixedcase-2.0.1.mesos.", "SRV", ["chronoswithaspaceandmixedcase-2.0.1.mesos.:25501"] },
        { "liquor-store.marathon.mesos.", "A", ["1.2.3.11", "1.2.3.12"] },
        { "liquor-store-4dfjd-0.marathon.mesos.", "A", ["1.2.3.11"] },
        { "liquor-store-zasmd-1.marathon.mesos.", "A", ["1.2.3.12"] },
        { "liquor-store-4dfjd-0.marathon.slave.mesos.", "A", ["1.2.3.11"] },
        { "nginx.marathon.mesos.", "A", ["10.3.0.3"] },
        { "toy-store.ipv6-framework.mesos.", "A", ["12.0.1.3", "12.0.1.2"] },
        { "toy-store.ipv6-framework.mesos.", "AAAA", ["fd01:b::1:8000:2"] },
        { "ns1.mesos.", "A", ["127.0.0.1"] },
        { "_leader._udp.mesos.", "SRV", ["leader.mesos.:5050"] },
        // Port resources: always under .slave; the plain domain only for tasks without DiscoveryInfo.
        { "_liquor-store._tcp.marathon.slave.mesos.", "SRV", ["liquor-store-4dfjd-0.marathon.slave.mesos.:31354", "liquor-store-4dfjd-0.marathon.slave.mesos.:31355", "liquor-store-zasmd-1.marathon.slave.mesos.:31737", "liquor-store-zasmd-1.marathon.slave.mesos.:31738"] },
        { "_liquor-store._udp.marathon.slave.mesos.", "SRV", ["liquor-store-4dfjd-0.marathon.slave.mesos.:31354", "liquor-store-4dfjd-0.marathon.slave.mesos.:31355", "liquor-store-zasmd-1.marathon.slave.mesos.:31737", "liquor-store-zasmd-1.marathon.slave.mesos.:31738"] },
        { "_reviewbot._tcp.marathon.mesos.", "SRV", ["reviewbot-8sq89-1.marathon.slave.mesos.:31744"] },
        { "_reviewbot._tcp.marathon.slave.mesos.", "SRV", ["reviewbot-8sq89-1.marathon.slave.mesos.:31744"] },
        // The raw, unsanitised DiscoveryInfo name is published too (Mesos-DNS "LEGACY").
        { "liquor.store.marathon.mesos.", "A", ["1.2.3.11", "1.2.3.12"] },
        { "big.dog.marathon.mesos.", "A", ["1.2.3.11"] },
        { "_liquor.store._tcp.marathon.mesos.", "SRV", ["liquor.store-4dfjd-0.marathon.mesos.:80", "liquor.store-4dfjd-0.marathon.mesos.:443", "liquor.store-zasmd-1.marathon.mesos.:80", "liquor.store-zasmd-1.marathon.mesos.:443"] },
        { "_http._liquor.store._tcp.marathon.mesos.", "SRV", ["liquor.store-4dfjd-0.marathon.mesos.:80", "liquor.store-zasmd-1.marathon.mesos.:80"] },
        { "_liquor.store._tcp.marathon.slave.mesos.", "SRV", ["liquor.store-4dfjd-0.marathon.slave.mesos.:31354", "liquor.store-4dfjd-0.marathon.slave.mesos.:31355", "liquor.store-zasmd-1.marathon.slave.mesos.:31737", "liquor.store-zasmd-1.marathon.slave.mesos.:31738"] },
        // No pid and a hostname that is not an IP literal: no framework record (no lookups from the builder).
        { "nopid.mesos.", "A", [] },
    };

    [Theory]
    [MemberData(nameof(Rfc1123Table))]
    public void Build_DefaultOptions_MatchesMesosDnsRules(string name, string type, string[] expected)
    {
        AssertValues(Build(StateFixtures.Current, DnsLabelSpec.Rfc1123), name, type, expected);
    }

    [Theory]
    [InlineData("test", "iffe9")]
    [InlineData("liquor-store.b8db9f73-562f-11e4-a088-c20493233aa5", "4dfjd")]
    [InlineData("liquor-store.b71166c1-562f-11e4-a088-c20493233aa5", "zasmd")]
    [InlineData("car-store.43758382-562f-11e4-a088-c20493233aa5", "zinaz")]
    [InlineData("reviewbot.8c9b3434-615a-11e4-a088-c20493233aa5", "8sq89")] // computed independently with Python hashlib
    public void TaskHash_MatchesMesosDnsHashString(string id, string expected)
    {
        Assert.Equal(expected, TaskHash.Compute(id));
    }

    [Theory]
    [InlineData("20140803-125133-3041283216-5050-2410-0", "0")]
    [InlineData("5b1f4b47-8c7a-11e5-a4ad-0242ac110003-S3", "s3")]
    [InlineData("nodash", "nodash")]
    public void AgentTail_TakesTextAfterLastDashLowerCased(string agentId, string expected)
    {
        Assert.Equal(expected, DnsRecordBuilder.AgentTail(agentId));
    }

    [Fact]
    public void Build_KilledTaskAndUnknownAgent_ProduceNoTaskRecords()
    {
        var state = new ClusterState
        {
            Agents = [new AgentInfo { Id = "a-1", Pid = "slave(1)@10.0.0.1:5051" }],
            Frameworks =
            [
                new FrameworkInfo
                {
                    Id = "f", Name = "marathon",
                    Tasks =
                    [
                        new TaskInfo { Id = "x.1", Name = "x", FrameworkId = "f", AgentId = "a-1", State = "TASK_KILLED" },
                        new TaskInfo { Id = "y.1", Name = "y", FrameworkId = "f", AgentId = "gone-9", State = "TASK_RUNNING" },
                    ],
                },
            ],
        };

        var set = new DnsRecordBuilder(new DnsRecordOptions()).Build(state);

        Assert.DoesNotContain(set.Names.Keys, k => k.StartsWith("x.", StringComparison.Ordinal) || k.StartsWith("y.", StringComparison.Ordinal));
        AssertValues(set, "slave.mesos", "A", "10.0.0.1");
    }

    [Fact]
    public void Build_NamedVips_PublishesL4lbNamesWithTtl5()
    {
        var set = new DnsRecordBuilder(new DnsRecordOptions()).Build(
            ClusterState.Empty,
            [new NamedVipAddress("web", "marathon", IPAddress.Parse("11.0.0.5")), new NamedVipAddress("Web", "marathon", IPAddress.Parse("fd00::5"))]);

        var records = set.Names["web.marathon.l4lb.thisdcos.directory"];
        Assert.Equal([IPAddress.Parse("11.0.0.5")], records.A.ToArray());
        Assert.Equal([IPAddress.Parse("fd00::5")], records.Aaaa.ToArray());
        Assert.Equal(5, records.Ttl);
    }

    [Fact]
    public void Build_CustomDomainAndTtl_AppliesToEveryDomainName()
    {
        var state = StateFixtures.Load(StateFixtures.Current);
        var set = new DnsRecordBuilder(new DnsRecordOptions { Domain = "Cluster.Local.", Ttl = 30 }).Build(state, serial: 42);

        Assert.Equal("cluster.local", set.Zone.Domain);
        Assert.Equal(42u, set.Zone.Serial);
        Assert.Equal("ns1.cluster.local", set.Zone.SoaMname);
        Assert.Contains("cluster.local", set.Zone.AuthoritativeZones);
        Assert.All(set.Names, kv =>
        {
            Assert.EndsWith(".cluster.local", kv.Key, StringComparison.Ordinal);
            Assert.Equal(30, kv.Value.Ttl);
        });
        AssertValues(set, "leader.cluster.local", "A", "1.2.3.4");
    }

    [Fact]
    public void Enumerate_ReferenceDocument_ListsEachRunningTaskWithItsRecords()
    {
        var state = StateFixtures.Load(StateFixtures.Current);
        var data = new DnsRecordBuilder(new DnsRecordOptions()).Enumerate(state);

        Assert.Equal(["ipv6-framework", "chronos with a space AND MIXED CASE-2.0.1", "no pid", "marathon"], data.Frameworks.Select(f => f.Name));
        var marathon = data.Frameworks[3];
        Assert.DoesNotContain(marathon.Tasks, t => t.Name.StartsWith("poseidon", StringComparison.Ordinal));
        var nginx = marathon.Tasks.Single(t => t.Name == "nginx");
        Assert.Equal("nginx.1bc32344-3dda-11e4-a088-c20493233aa5", nginx.Id);
        Assert.Contains(new EnumerableRecord("nginx.marathon.mesos.", "10.3.0.3", "A"), nginx.Records);
        Assert.Contains(nginx.Records, r => r.Rtype == "A" && r.Name.StartsWith("nginx-", StringComparison.Ordinal) && r.Name.EndsWith(".marathon.slave.mesos.", StringComparison.Ordinal));
        var car = marathon.Tasks.Single(t => t.Name == "car.store");
        Assert.Contains(new EnumerableRecord("_car-store._tcp.marathon.mesos.", "car-store-zinaz-0.marathon.slave.mesos.:31364", "SRV"), car.Records);
    }
}
