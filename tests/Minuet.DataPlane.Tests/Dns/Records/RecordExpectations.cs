using System.Globalization;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>Reads a record set the way Mesos-DNS's tests do: per name, the set of values of one type as strings.</summary>
internal static class RecordExpectations
{
    public static string[] Values(DnsRecordSet set, string name, string type)
    {
        var key = name.TrimEnd('.');
        if (!set.Names.TryGetValue(key, out var records))
        {
            return [];
        }

        IEnumerable<string> values = type switch
        {
            "A" => records.A.Select(ip => ip.ToString()),
            "AAAA" => records.Aaaa.Select(ip => ip.ToString()),
            "SRV" => records.Srv.Select(s => s.Target + ".:" + s.Port.ToString(CultureInfo.InvariantCulture)),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return [.. values.Order(StringComparer.Ordinal)];
    }

    public static void AssertValues(DnsRecordSet set, string name, string type, params string[] expected)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), Values(set, name, type));
    }
}
