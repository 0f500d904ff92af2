using System.Globalization;
using System.Net;

namespace Minuet.DataPlane.Dns.Records;

public sealed partial class DnsRecordBuilder
{
    /// <summary>
    /// <c>leader.D</c>, <c>master.D</c>, <c>masterN.D</c> and <c>_leader._tcp|_udp.D</c>, exactly as Mesos-DNS's
    /// <c>masterRecord</c>: configured masters keep their index in list order; a leader missing from the list gets
    /// the next free index; duplicates are skipped.
    /// </summary>
    private void MasterRecords(string? leader, RecordAccumulator records)
    {
        if (string.IsNullOrEmpty(leader))
        {
            return;
        }

        int at = leader.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        string leaderAddress = leader[(at + 1)..];
        if (!MesosPid.TrySplitHostPort(leaderAddress, out var leaderPid) || !IPAddress.TryParse(leaderPid.Host, out var leaderIp))
        {
            return;
        }

        int ttl = _options.Ttl;
        string leaderName = "leader" + _tail;
        string allMasters = "master" + _tail;
        records.AddAddress(leaderName, leaderIp, ttl);
        records.AddAddress(allMasters, leaderIp, ttl);
        var leaderSrv = new SrvValue(leaderName, ushort.Parse(leaderPid.Port, CultureInfo.InvariantCulture));
        records.AddSrv("_leader._tcp" + _tail, leaderSrv, ttl);
        records.AddSrv("_leader._udp" + _tail, leaderSrv, ttl);

        bool leaderIndexed = false;
        int index = 0;
        foreach (string master in _options.Masters)
        {
            if (!MesosPid.TrySplitHostPort(master, out var masterPid) || !IPAddress.TryParse(masterPid.Host, out var masterIp))
            {
                continue;
            }

            bool isLeader = master == leaderAddress;
            if (!isLeader && !records.AddAddress(allMasters, masterIp, ttl))
            {
                continue; // the same master twice
            }

            if (isLeader && leaderIndexed)
            {
                continue; // the leader listed twice
            }

            records.AddAddress("master" + index.ToString(CultureInfo.InvariantCulture) + _tail, masterIp, ttl);
            index++;
            leaderIndexed |= isLeader;
        }

        if (!leaderIndexed)
        {
            records.AddAddress("master" + index.ToString(CultureInfo.InvariantCulture) + _tail, leaderIp, ttl);
        }
    }
}
