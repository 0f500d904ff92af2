using System.Globalization;
using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Turns a <see cref="ClusterState"/> (plus the named VIPs the L4 balancer has programmed) into the
/// <see cref="DnsRecordSet"/> Mesos-DNS would serve for it: the same owner names and values (records/generator.go).
/// Stateless apart from its options; one build per cluster-state change.
/// </summary>
public sealed partial class DnsRecordBuilder
{
    /// <summary>The zone l4lb VIP names live in.</summary>
    public const string VipZone = "l4lb.thisdcos.directory";

    private readonly DnsRecordOptions _options;
    private readonly string _tail;

    public DnsRecordBuilder(DnsRecordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options with { Domain = options.Domain.TrimEnd('.').ToLowerInvariant() };
        _tail = "." + _options.Domain;
    }

    public DnsRecordOptions Options => _options;

    /// <summary>Builds every record for <paramref name="state"/>; <paramref name="serial"/> becomes the SOA serial.</summary>
    public DnsRecordSet Build(ClusterState state, IReadOnlyList<NamedVipAddress>? namedVips = null, uint serial = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        var records = new RecordAccumulator(ExpectedNames(state));
        var agentIps = AgentRecords(state, records);
        FrameworkRecords(state, records);
        ListenerRecords(records);
        MasterRecords(state.Leader, records);
        TaskRecords(state, agentIps, records, enumeration: null);
        VipRecords(namedVips ?? [], records);
        return new DnsRecordSet(Zone(serial), records.Freeze());
    }

    /// <summary>The <c>/v1/enumerate</c> view of <paramref name="state"/>: per framework, each running task's records.</summary>
    public EnumerationData Enumerate(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var records = new RecordAccumulator();
        var agentIps = AgentRecords(state, records);
        FrameworkRecords(state, records);
        ListenerRecords(records);
        MasterRecords(state.Leader, records);
        var frameworks = new List<EnumerableFramework>(state.Frameworks.Count);
        TaskRecords(state, agentIps, records, frameworks);
        return new EnumerationData(frameworks);
    }

    /// <summary>
    /// A generous guess at the number of owner names: a task gives two unique names (canonical, canonical.slave)
    /// plus its app's shared ones, twice over with a raw DiscoveryInfo name.
    /// </summary>
    private static int ExpectedNames(ClusterState state)
    {
        long tasks = 0;
        foreach (var framework in state.Frameworks)
        {
            tasks += framework.Tasks.Count;
        }

        return (int)Math.Min(4_000_000, (tasks * 6) + (state.Frameworks.Count * 2) + 64);
    }

    public DnsZoneInfo Zone(uint serial) => new()
    {
        Domain = _options.Domain,
        AuthoritativeZones = [_options.Domain, "thisdcos.directory"],
        SoaMname = _options.EffectiveSoaMname,
        SoaRname = _options.EffectiveSoaRname,
        Serial = serial,
        Ttl = _options.Ttl,
        NegativeTtl = _options.NegativeTtl,
        SrvWeight = _options.SrvWeight,
    };

    /// <summary><c>slave.D</c> and <c>_slave._tcp.D</c>; returns each agent's IPs by agent id for the task records.</summary>
    private Dictionary<string, IReadOnlyList<IPAddress>> AgentRecords(ClusterState state, RecordAccumulator records)
    {
        var byId = new Dictionary<string, IReadOnlyList<IPAddress>>(state.Agents.Count, StringComparer.Ordinal);
        string slave = "slave" + _tail;
        string slaveSrv = "_slave._tcp" + _tail;
        foreach (var agent in state.Agents)
        {
            IReadOnlyList<IPAddress> ips = [];
            if (MesosPid.TryParse(agent.Pid, out var pid))
            {
                ips = HostToIps(pid.Host);
                if (ips.Count > 0)
                {
                    foreach (var ip in ips)
                    {
                        records.AddAddress(slave, ip, _options.Ttl);
                    }

                    records.AddSrv(slaveSrv, new SrvValue(slave, ushort.Parse(pid.Port, CultureInfo.InvariantCulture)), _options.Ttl);
                }
            }

            // An agent with no usable address is still known: its tasks get their own records, just no .slave ones.
            byId[agent.Id] = ips;
        }

        return byId;
    }

    /// <summary><c>framework.D</c> (scheduler host) and <c>_framework._tcp.framework.D</c> when the pid gives a port.</summary>
    private void FrameworkRecords(ClusterState state, RecordAccumulator records)
    {
        foreach (var framework in state.Frameworks)
        {
            string fname = DnsLabels.DomainFragment(framework.Name, _options.LabelSpec);
            if (fname.Length == 0)
            {
                continue;
            }

            string host;
            string? port = null;
            if (MesosPid.TryParse(framework.Pid, out var pid))
            {
                host = pid.Host;
                port = pid.Port;
            }
            else
            {
                host = framework.Hostname ?? string.Empty;
            }

            var ips = HostToIps(host);
            if (ips.Count == 0)
            {
                continue;
            }

            string name = fname + _tail;
            foreach (var ip in ips)
            {
                records.AddAddress(name, ip, _options.Ttl);
            }

            if (port is not null)
            {
                records.AddSrv("_framework._tcp." + name, new SrvValue(name, ushort.Parse(port, CultureInfo.InvariantCulture)), _options.Ttl);
            }
        }
    }

    /// <summary>The name server's own name (SOA MNAME) resolves to the listener's addresses.</summary>
    private void ListenerRecords(RecordAccumulator records)
    {
        string ns = _options.EffectiveSoaMname;
        foreach (var ip in _options.ListenerAddresses)
        {
            records.AddAddress(ns, ip, _options.Ttl);
        }
    }

    private void VipRecords(IReadOnlyList<NamedVipAddress> vips, RecordAccumulator records)
    {
        foreach (var vip in vips)
        {
            string label = vip.Label.Trim('.').ToLowerInvariant();
            string framework = vip.Framework.Trim('.').ToLowerInvariant();
            if (label.Length == 0 || framework.Length == 0)
            {
                continue;
            }

            records.AddAddress(label + "." + framework + "." + VipZone, vip.Address, _options.VipTtl);
        }
    }

    private IReadOnlyList<IPAddress> HostToIps(string host)
    {
        if (host.Length == 0)
        {
            return [];
        }

        if (IPAddress.TryParse(host, out var ip))
        {
            return [ip];
        }

        return _options.HostResolver?.Invoke(host) ?? [];
    }
}
