using System.Net;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Http;

/// <summary>The lookups behind the Mesos-DNS HTTP endpoints, as pure functions of a record set.</summary>
internal static class DnsApiQueries
{
    /// <summary>Lower-cases, drops the trailing dot and removes <c>.*</c> wildcards as Mesos-DNS's <c>cleanWild</c>.</summary>
    public static string Normalize(string name)
    {
        string clean = name.Replace(".*", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return clean.TrimEnd('.');
    }

    public static HostRow[] Hosts(DnsRecordSet? records, string host)
    {
        string name = Normalize(host);
        if (records is null || !records.Names.TryGetValue(name, out var entry) || (entry.A.IsEmpty && entry.Aaaa.IsEmpty))
        {
            return [new HostRow(string.Empty, string.Empty)];
        }

        var rows = new HostRow[entry.A.Length + entry.Aaaa.Length];
        int i = 0;
        foreach (var ip in entry.A)
        {
            rows[i++] = new HostRow(name + ".", ip.ToString());
        }

        foreach (var ip in entry.Aaaa)
        {
            rows[i++] = new HostRow(name + ".", ip.ToString());
        }

        return rows;
    }

    public static ServiceRow[] Services(DnsRecordSet? records, string service)
    {
        string name = Normalize(service);
        if (records is null || !records.Names.TryGetValue(name, out var entry) || entry.Srv.IsEmpty)
        {
            return [new ServiceRow(string.Empty, string.Empty, string.Empty, string.Empty)];
        }

        var rows = new List<ServiceRow>(entry.Srv.Length);
        foreach (var srv in entry.Srv)
        {
            string port = DnsApiEndpoints.FormatPort(srv.Port);
            string host = srv.Target + ".";
            IPAddress? v4 = null;
            IPAddress? v6 = null;
            if (records.Names.TryGetValue(srv.Target, out var target))
            {
                v4 = target.A.IsEmpty ? null : target.A[0];
                v6 = target.Aaaa.IsEmpty ? null : target.Aaaa[0];
            }

            if (v4 is null && v6 is null)
            {
                rows.Add(new ServiceRow(service, host, string.Empty, port));
                continue;
            }

            if (v4 is not null)
            {
                rows.Add(new ServiceRow(service, host, v4.ToString(), port));
            }

            if (v6 is not null)
            {
                rows.Add(new ServiceRow(service, host, v6.ToString(), port));
            }
        }

        return [.. rows];
    }

    public static AxfrResponse Axfr(DnsRecordSet records, DnsApiConfig config)
    {
        var zone = records.Zone;
        string suffix = "." + zone.Domain;
        var a = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var aaaa = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var srv = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, entry) in records.Names)
        {
            // Only the Mesos domain, as Mesos-DNS's AXFR: l4lb names belong to another zone.
            if (!name.EndsWith(suffix, StringComparison.Ordinal) && name != zone.Domain)
            {
                continue;
            }

            string owner = name + ".";
            if (!entry.A.IsEmpty)
            {
                a[owner] = [.. entry.A.Select(ip => ip.ToString())];
            }

            if (!entry.Aaaa.IsEmpty)
            {
                aaaa[owner] = [.. entry.Aaaa.Select(ip => ip.ToString())];
            }

            if (!entry.Srv.IsEmpty)
            {
                srv[owner] = [.. entry.Srv.Select(s => s.Target + ".:" + DnsApiEndpoints.FormatPort(s.Port))];
            }
        }

        return new AxfrResponse(
            zone.Ttl, zone.Serial, config.RefreshSeconds, zone.SoaMname + ".", zone.SoaRname + ".", zone.Domain,
            new AxfrRecords(a, aaaa, srv));
    }
}
