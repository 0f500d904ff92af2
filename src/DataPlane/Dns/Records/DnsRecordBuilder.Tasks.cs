using System.Globalization;
using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

public sealed partial class DnsRecordBuilder
{
    /// <summary>Records for every serving task (running, and healthy when checked) on a known agent (Mesos-DNS <c>taskRecords</c>,
    /// which also publishes unhealthy tasks: here they leave DNS like they leave the VIP).</summary>
    private void TaskRecords(
        ClusterState state,
        Dictionary<string, IReadOnlyList<IPAddress>> agentIps,
        RecordAccumulator records,
        List<EnumerableFramework>? enumeration)
    {
        var scratch = new TaskScratch(_options.LabelSpec);
        foreach (var framework in state.Frameworks)
        {
            List<EnumerableTask>? enumeratedTasks = null;
            if (enumeration is not null)
            {
                enumeratedTasks = [];
                enumeration.Add(new EnumerableFramework(framework.Name, enumeratedTasks));
            }

            string fname = DnsLabels.DomainFragment(framework.Name, _options.LabelSpec);
            foreach (var task in framework.Tasks)
            {
                // A framework name with no usable character would give names like "web..mesos": nothing to publish.
                if (fname.Length == 0 || !task.IsServing || !agentIps.TryGetValue(task.AgentId, out var slaveIps))
                {
                    continue;
                }

                if (enumeratedTasks is not null)
                {
                    var taskRecords = new List<EnumerableRecord>();
                    enumeratedTasks.Add(new EnumerableTask(task.Name, task.Id, taskRecords));
                    records.EnumerationTarget = taskRecords;
                }

                OneTaskRecords(task, fname, slaveIps, records, scratch);
            }
        }

        records.EnumerationTarget = null;
    }

    /// <summary>The records of one serving task on a known agent: its A/AAAA names, SRVs and DiscoveryInfo SRVs.</summary>
    private void OneTaskRecords(TaskInfo task, string fname, IReadOnlyList<IPAddress> slaveIps, RecordAccumulator records, TaskScratch scratch)
    {
        Span<byte> hash = stackalloc byte[TaskHash.Length];
        Span<char> hashChars = stackalloc char[TaskHash.Length];
        var taskIps = scratch.TaskIps;
        TaskIpSelector.Select(task, slaveIps, _options.IpSources, taskIps);
        TaskHash.Compute(task.Id, hash);
        for (int i = 0; i < hashChars.Length; i++)
        {
            hashChars[i] = (char)hash[i];
        }

        var context = new TaskContext(
            Label: string.Empty,
            Hash: new string(hashChars),
            AgentTail: TailOf(scratch.AgentTails, task.AgentId),
            Framework: fname,
            TaskIps: taskIps,
            SlaveIps: slaveIps,
            SharedNames: scratch.SharedNames);

        string? discoveryName = task.Discovery?.Name;
        if (!string.IsNullOrEmpty(discoveryName))
        {
            // Mesos-DNS also publishes the raw discovery name ("LEGACY, TODO: REMOVE"), which is how
            // app.group.marathon.mesos resolves. Queries are lower-cased, so the raw name is too; a raw name
            // that could not travel in a DNS packet is left out.
            string? raw = scratch.Labels.RawName(discoveryName);
            string sanitized = scratch.Labels.Sanitize(discoveryName);
            if (raw is not null && raw != sanitized)
            {
                TaskContextRecords(context with { Label = raw }, task, records);
            }

            TaskContextRecords(context with { Label = sanitized }, task, records);
        }
        else
        {
            TaskContextRecords(context with { Label = scratch.Labels.Sanitize(task.Name) }, task, records);
        }
    }

    /// <summary>Mesos-DNS <c>taskContextRecord</c>: the A/AAAA names, port-resource SRVs and DiscoveryInfo SRVs.</summary>
    private void TaskContextRecords(TaskContext ctx, TaskInfo task, RecordAccumulator records)
    {
        if (ctx.Label.Length == 0)
        {
            return;
        }

        int ttl = _options.Ttl;
        var shared = SharedNamesFor(ctx.SharedNames, ctx.Label, ctx.Framework);
        string canonicalName = string.Concat([ctx.Label, "-", ctx.Hash, "-", ctx.AgentTail, shared.FrameworkTail]);
        foreach (var ip in ctx.TaskIps)
        {
            records.AddAddress(shared.Name, ip, ttl);
            records.AddAddress(canonicalName, ip, ttl);
        }

        string slaveHost = string.Concat([ctx.Label, "-", ctx.Hash, "-", ctx.AgentTail, shared.FrameworkSlaveTail]);
        foreach (var ip in ctx.SlaveIps)
        {
            records.AddAddress(shared.SlaveName, ip, ttl);
            records.AddAddress(slaveHost, ip, ttl);
        }

        bool hasDiscovery = !string.IsNullOrEmpty(task.Discovery?.Name);
        if (task.Ports.Count > 0)
        {
            // _t._tcp.f.slave.D, _t._udp.f.slave.D, then (without DiscoveryInfo) _t._tcp.f.D and _t._udp.f.D.
            string tcpSlave = shared.TcpSlave;
            string udpSlave = shared.UdpSlave;
            string tcpPlain = shared.Tcp;
            string udpPlain = shared.Udp;
            foreach (var range in task.Ports)
            {
                for (int port = range.Begin; port <= range.End; port++)
                {
                    var target = new SrvValue(slaveHost, (ushort)port);
                    records.AddSrv(tcpSlave, target, ttl);
                    records.AddSrv(udpSlave, target, ttl);
                    if (!hasDiscovery)
                    {
                        records.AddSrv(tcpPlain, target, ttl);
                        records.AddSrv(udpPlain, target, ttl);
                    }
                }
            }
        }

        if (!hasDiscovery)
        {
            return;
        }

        // A host-scoped port (a Docker bridge mapping) listens on the agent, not on the container IP the task reports
        // first (Mesos-DNS issues 332/334): its SRV targets the .slave name. Tasks without an own IP are unchanged.
        bool ownIp = !SameAddresses(ctx.TaskIps, ctx.SlaveIps);
        foreach (var port in task.Discovery!.Ports)
        {
            var target = new SrvValue(ownIp && IsHostScoped(port) ? slaveHost : canonicalName, (ushort)port.Number);
            string protocol = DnsLabels.Sanitize(port.Protocol ?? string.Empty, _options.LabelSpec);
            string portName = DnsLabels.Sanitize(port.Name ?? string.Empty, _options.LabelSpec);
            if (protocol.Length == 0)
            {
                DiscoverySrv(shared.Tcp, portName, target, records);
                DiscoverySrv(shared.Udp, portName, target, records);
            }
            else if (protocol == "tcp")
            {
                DiscoverySrv(shared.Tcp, portName, target, records);
            }
            else if (protocol == "udp")
            {
                DiscoverySrv(shared.Udp, portName, target, records);
            }
            else
            {
                DiscoverySrv("_" + ctx.Label + "._" + protocol + "." + ctx.Framework + _tail, portName, target, records);
            }
        }
    }

    private static bool IsHostScoped(DiscoveryPort port)
    {
        foreach (var label in port.Labels)
        {
            if (label.Key.Equals("network-scope", StringComparison.OrdinalIgnoreCase))
            {
                return label.Value.Equals("host", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    private static bool SameAddresses(IReadOnlyList<IPAddress> a, IReadOnlyList<IPAddress> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (!a[i].Equals(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void DiscoverySrv(string name, string portName, SrvValue target, RecordAccumulator records)
    {
        records.AddSrv(name, target, _options.Ttl);
        if (portName.Length > 0)
        {
            records.AddSrv("_" + portName + "." + name, target, _options.Ttl);
        }
    }

    private static string TailOf(Dictionary<string, string> cache, string agentId)
    {
        if (!cache.TryGetValue(agentId, out var tail))
        {
            tail = AgentTail(agentId);
            cache[agentId] = tail;
        }

        return tail;
    }

    /// <summary>The text after the last <c>-</c> of an agent id, lower-cased (<c>...-S3</c> gives <c>s3</c>).</summary>
    internal static string AgentTail(string agentId)
    {
        int dash = agentId.LastIndexOf('-');
        string tail = dash < 0 ? agentId : agentId[(dash + 1)..];
        return tail.ToLowerInvariant();
    }

    /// <summary>True when every label is 1-63 characters of <c>a-z0-9-_</c> and the name fits in 253.</summary>
    private static bool IsEncodableName(string name)
    {
        if (name.Length is 0 or > 200)
        {
            return false;
        }

        int labelLength = 0;
        foreach (char c in name)
        {
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
                continue;
            }

            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || c == '_') || ++labelLength > 63)
            {
                return false;
            }
        }

        return labelLength > 0;
    }

    private readonly record struct TaskContext(
        string Label,
        string Hash,
        string AgentTail,
        string Framework,
        IReadOnlyList<IPAddress> TaskIps,
        IReadOnlyList<IPAddress> SlaveIps,
        Dictionary<(string Label, string Framework), SharedNames> SharedNames);
}
