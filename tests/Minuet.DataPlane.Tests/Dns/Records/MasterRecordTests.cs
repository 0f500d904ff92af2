using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using static Minuet.DataPlane.Tests.Dns.Records.RecordExpectations;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>Mesos-DNS records/generator_test.go TestMasterRecord, case for case.</summary>
public class MasterRecordTests
{
    public static TheoryData<string[], string, string[]> Cases() => new()
    {
        { [], "", [] },
        { [], "@", [] },
        { [], "1@", [] },
        { [], "@2", [] },
        { [], "3@4", [] },
        { [], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.6"] },
        { [], "5@[2001:db8::1]:7", ["leader.foo.com. AAAA 2001:db8::1", "master.foo.com. AAAA 2001:db8::1", "master0.foo.com. AAAA 2001:db8::1"] },
        { ["0.0.0.6:7"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.6"] },
        { ["0.0.0.8:9"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.8"] },
        { ["0.0.0.8:9", "0.0.0.8:9"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.8"] },
        { ["0.0.0.8:9", "0.0.0.6:7"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.8"] },
        { ["0.0.0.8:9", "0.0.0.6:7", "0.0.0.6:7"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master0.foo.com. A 0.0.0.8"] },
        { ["0.0.0.8:9", "0.0.0.6:7", "0.0.0.7:0"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master.foo.com. A 0.0.0.7", "master0.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master2.foo.com. A 0.0.0.7"] },
        { ["0.0.0.8:9", "0.0.0.6:7", "[2001:db8::1]:0"], "5@0.0.0.6:7", ["leader.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.6", "master.foo.com. A 0.0.0.8", "master.foo.com. AAAA 2001:db8::1", "master0.foo.com. A 0.0.0.8", "master1.foo.com. A 0.0.0.6", "master2.foo.com. AAAA 2001:db8::1"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_LeaderAndMasters_MatchesMesosDnsMasterRecord(string[] masters, string leader, string[] expected)
    {
        var set = new DnsRecordBuilder(new DnsRecordOptions { Domain = "foo.com", Masters = masters })
            .Build(new ClusterState { Leader = leader });

        var actual = set.Names
            .SelectMany(kv => kv.Value.A.Select(ip => $"{kv.Key}. A {ip}")
                .Concat(kv.Value.Aaaa.Select(ip => $"{kv.Key}. AAAA {ip}")))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual);

        bool hasLeader = expected.Length > 0;
        var port = leader.Split(':').LastOrDefault();
        if (hasLeader)
        {
            AssertValues(set, "_leader._tcp.foo.com", "SRV", $"leader.foo.com.:{port}");
            AssertValues(set, "_leader._udp.foo.com", "SRV", $"leader.foo.com.:{port}");
        }
        else
        {
            Assert.Empty(set.Names);
        }
    }
}
