using System.Globalization;
using System.Text;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.Benchmarks.Dns.Tool;

/// <summary>Writes a <see cref="DnsRecordSet"/> as an RFC 1035 master file for one zone (for Knot DNS and NSD).</summary>
internal static class ZoneFileWriter
{
    public static string Write(DnsRecordSet records, string zone)
    {
        var z = records.Zone;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"$ORIGIN {zone}.\n$TTL {z.Ttl}\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"@ {z.Ttl} IN SOA {z.SoaMname}. {z.SoaRname}. {Math.Max(1u, z.Serial)} {z.Refresh} {z.Retry} {z.Expire} {z.Ttl}\n");
        sb.Append(CultureInfo.InvariantCulture, $"@ {z.Ttl} IN NS {z.SoaMname}.\n");
        foreach (var (name, data) in records.Names.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            if (!name.EndsWith("." + zone, StringComparison.Ordinal) && name != zone)
            {
                continue;
            }

            if (!DnsName.TryEncode(name, new byte[256], out _))
            {
                continue;
            }

            string owner = Escape(name) + ".";
            foreach (var ip in data.A)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{owner} {data.Ttl} IN A {ip}\n");
            }

            foreach (var ip in data.Aaaa)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{owner} {data.Ttl} IN AAAA {ip}\n");
            }

            foreach (var srv in data.Srv)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{owner} {data.Ttl} IN SRV 0 {z.SrvWeight} {srv.Port} {Escape(srv.Target)}.\n");
            }
        }

        return sb.ToString();
    }

    // Master-file escaping: anything outside letters, digits, '-', '_' and the label dots becomes \DDD.
    private static string Escape(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\{b:D3}");
            }
        }

        return sb.ToString();
    }
}
