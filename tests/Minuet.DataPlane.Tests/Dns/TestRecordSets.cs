using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Tests.Dns;

/// <summary>Small hand-made record sets (no dependence on the record generator).</summary>
internal static class TestRecordSets
{
    public static DnsZoneInfo Zone { get; } = new() { Serial = 1700000000 };

    public static DnsRecordSet Small()
    {
        var names = new Dictionary<string, DnsNameRecords>
        {
            ["web.marathon.mesos"] = A("10.0.0.1", "10.0.0.2", "10.0.0.3"),
            ["db.marathon.mesos"] = A("10.0.1.1"),
            ["v6.marathon.mesos"] = new DnsNameRecords { Aaaa = [IPAddress.Parse("fd00::1")] },
            ["web-abcde-s1.marathon.slave.mesos"] = A("192.168.0.1"),
            ["web-fghij-s2.marathon.slave.mesos"] = A("192.168.0.2"),
            ["_web._tcp.marathon.mesos"] = new DnsNameRecords
            {
                Srv = [new SrvValue("web-abcde-s1.marathon.slave.mesos", 31000), new SrvValue("web-fghij-s2.marathon.slave.mesos", 31001)],
            },
            ["leader.mesos"] = A("10.1.0.1"),
            ["ns1.mesos"] = A("10.1.0.53"),
            ["big.marathon.mesos"] = A(Enumerable.Range(1, 60).Select(i => $"10.9.0.{i}").ToArray()),
            ["www.l4lb.thisdcos.directory"] = A("11.0.0.1") with { Ttl = 5 },
        };
        return new DnsRecordSet(Zone, names.ToFrozenDictionary());
    }

    /// <summary>apps × tasks: A records for each app name and canonical task name, SRV per app, agents under slave.</summary>
    public static DnsRecordSet Large(int apps, int tasksPerApp)
    {
        var names = new Dictionary<string, DnsNameRecords>();
        for (int a = 0; a < apps; a++)
        {
            var ips = new List<IPAddress>();
            var srv = new List<SrvValue>();
            for (int t = 0; t < tasksPerApp; t++)
            {
                var ip = IPAddress.Parse($"10.{a / 250}.{a % 250}.{t + 1}");
                ips.Add(ip);
                string canonical = $"app{a}-t{t:D5}-s{t}.marathon.slave.mesos";
                names[canonical] = new DnsNameRecords { A = [ip] };
                srv.Add(new SrvValue(canonical, (ushort)(31000 + t)));
            }

            names[$"app{a}.marathon.mesos"] = new DnsNameRecords { A = [.. ips] };
            names[$"_app{a}._tcp.marathon.mesos"] = new DnsNameRecords { Srv = [.. srv] };
        }

        return new DnsRecordSet(Zone, names.ToFrozenDictionary());
    }

    private static DnsNameRecords A(params string[] ips) => new() { A = ips.Select(IPAddress.Parse).ToImmutableArray() };
}
