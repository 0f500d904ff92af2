using Minuet.DataPlane.Dns.Records;

namespace Minuet.Benchmarks.Dns.Tool;

/// <summary>
/// The dnsperf query file: equal shares of A with 2–3 answers (app names), A with one answer (canonical task
/// names), SRV, NXDOMAIN and NODATA (AAAA of an A-only name), shuffled with a fixed seed.
/// </summary>
internal static class QueryMix
{
    public static List<string> Build(DnsRecordSet records, int perKind = 1000)
    {
        var names = records.Names.OrderBy(n => n.Key, StringComparer.Ordinal).ToList();
        var multiA = names.Where(n => n.Value.A.Length is >= 2 and <= 3 && n.Key.EndsWith(".mesos", StringComparison.Ordinal)).Select(n => n.Key).ToList();
        var singleA = names.Where(n => n.Value.A.Length == 1 && n.Key.EndsWith(".mesos", StringComparison.Ordinal)).Select(n => n.Key).ToList();
        var srv = names.Where(n => n.Value.Srv.Length > 0 && n.Key.EndsWith(".mesos", StringComparison.Ordinal)).Select(n => n.Key).ToList();
        var lines = new List<string>();
        var rng = new Random(42);
        for (int i = 0; i < perKind; i++)
        {
            lines.Add($"{Pick(multiA, i)} A");
            lines.Add($"{Pick(singleA, rng.Next(singleA.Count))} A");
            lines.Add($"{Pick(srv, rng.Next(srv.Count))} SRV");
            lines.Add($"missing{i}.marathon.mesos A");
            lines.Add($"{Pick(multiA, rng.Next(multiA.Count))} AAAA");
        }

        return [.. lines.OrderBy(_ => rng.Next())];
    }

    private static string Pick(List<string> list, int i) =>
        list.Count == 0 ? throw new InvalidOperationException("record set lacks a query kind") : list[i % list.Count];
}
