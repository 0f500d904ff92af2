using System.Globalization;
using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

public sealed partial class DnsRecordBuilder
{
    private static readonly string[] BothProtocols = ["tcp", "udp"];

    /// <summary>Records for every TASK_RUNNING task on a known agent (Mesos-DNS <c>taskRecords</c>).</summary>
    private void TaskRecords(
        ClusterState state,
        Dictionary<string, IReadOnlyList<IPAddress>> agentIps,
        RecordAccumulator records,
        List<EnumerableFramework>? enumeration)
    {
        var taskIps = new List<IPAddress>(4);
        Span<byte> hash = stackalloc byte[TaskHash.Length];
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
                if (!task.IsRunning || !agentIps.TryGetValue(task.AgentId, out var slaveIps))
                {
                    continue;
                }

                if (enumeratedTasks is not null)
                {
                    var taskRecords = new List<EnumerableRecord>();
                    enumeratedTasks.Add(new EnumerableTask(task.Name, task.Id, taskRecords));
                    records.EnumerationTarget = taskRecords;
                }

                TaskIpSelector.Select(task, slaveIps, _options.IpSources, taskIps);
                TaskHash.Compute(task.Id, hash);
                var context = new TaskContext(
                    Label: string.Empty,
                    Hash: string.Create(TaskHash.Length, hash.ToArray(), static (chars, bytes) =>
                    {
                        for (int i = 0; i < bytes.Length; i++)
                        {
                            chars[i] = (char)bytes[i];
                        }
                    }),
                    AgentTail: AgentTail(task.AgentId),
                    Framework: fname,
                    TaskIps: taskIps,
                    SlaveIps: slaveIps);

                string? discoveryName = task.Discovery?.Name;
                if (!string.IsNullOrEmpty(discoveryName))
                {
                    // Mesos-DNS also publishes the raw discovery name ("LEGACY, TODO: REMOVE"), which is how
                    // app.group.marathon.mesos resolves. Queries are lower-cased, so the raw name is too; a raw name
                    // that could not travel in a DNS packet is left out.
                    string raw = discoveryName.ToLowerInvariant();
                    string sanitized = DnsLabels.Sanitize(discoveryName, _options.LabelSpec);
                    if (raw != sanitized && IsEncodableName(raw))
                    {
                        TaskContextRecords(context with { Label = raw }, task, records);
                    }

                    TaskContextRecords(context with { Label = sanitized }, task, records);
                }
                else
                {
                    TaskContextRecords(context with { Label = DnsLabels.Sanitize(task.Name, _options.LabelSpec) }, task, records);
                }
            }
        }

        records.EnumerationTarget = null;
    }

    /// <summary>Mesos-DNS <c>taskContextRecord</c>: the A/AAAA names, port-resource SRVs and DiscoveryInfo SRVs.</summary>
    private void TaskContextRecords(TaskContext ctx, TaskInfo task, RecordAccumulator records)
    {
        if (ctx.Label.Length == 0)
        {
            return;
        }

        int ttl = _options.Ttl;
        string canonical = ctx.Label + "-" + ctx.Hash + "-" + ctx.AgentTail + "." + ctx.Framework;
        string arec = ctx.Label + "." + ctx.Framework;
        string arecName = arec + _tail;
        string canonicalName = canonical + _tail;
        foreach (var ip in ctx.TaskIps)
        {
            records.AddAddress(arecName, ip, ttl);
            records.AddAddress(canonicalName, ip, ttl);
        }

        string slaveTail = ".slave" + _tail;
        string slaveHost = canonical + slaveTail;
        string arecSlave = arec + slaveTail;
        foreach (var ip in ctx.SlaveIps)
        {
            records.AddAddress(arecSlave, ip, ttl);
            records.AddAddress(slaveHost, ip, ttl);
        }

        bool hasDiscovery = !string.IsNullOrEmpty(task.Discovery?.Name);
        if (task.Ports.Count > 0)
        {
            // _t._tcp.f.slave.D, _t._udp.f.slave.D, then (without DiscoveryInfo) _t._tcp.f.D and _t._udp.f.D.
            string tcp = "_" + ctx.Label + "._tcp." + ctx.Framework;
            string udp = "_" + ctx.Label + "._udp." + ctx.Framework;
            string tcpSlave = tcp + slaveTail;
            string udpSlave = udp + slaveTail;
            string tcpPlain = tcp + _tail;
            string udpPlain = udp + _tail;
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

        foreach (var port in task.Discovery!.Ports)
        {
            var target = new SrvValue(canonicalName, (ushort)port.Number);
            string protocol = DnsLabels.Sanitize(port.Protocol ?? string.Empty, _options.LabelSpec);
            string portName = DnsLabels.Sanitize(port.Name ?? string.Empty, _options.LabelSpec);
            if (protocol.Length > 0)
            {
                DiscoverySrv(ctx, protocol, portName, target, records);
            }
            else
            {
                foreach (string p in BothProtocols)
                {
                    DiscoverySrv(ctx, p, portName, target, records);
                }
            }
        }
    }

    private void DiscoverySrv(TaskContext ctx, string protocol, string portName, SrvValue target, RecordAccumulator records)
    {
        string name = "_" + ctx.Label + "._" + protocol + "." + ctx.Framework + _tail;
        records.AddSrv(name, target, _options.Ttl);
        if (portName.Length > 0)
        {
            records.AddSrv("_" + portName + "." + name, target, _options.Ttl);
        }
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
        IReadOnlyList<IPAddress> SlaveIps);
}
