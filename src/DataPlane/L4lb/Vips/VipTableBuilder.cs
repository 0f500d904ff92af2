using System.Collections.Immutable;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Builds the <see cref="VipTable"/> from cluster state. Only running and killing tasks count; a VIP label on
/// a discovery port (or a legacy <c>VIP_PORTn</c> task label) adds the task as a backend:
/// <c>network-scope=container</c> means container IP + port number, anything else agent IP + port number.
/// The port's protocol (<c>tcp</c>, <c>udp</c>, or both for Marathon's <c>udp,tcp</c>; none means TCP) makes
/// a TCP VIP, a UDP VIP, or one of each at the same address and port.
/// Every skipped label is collected with its reason.
/// </summary>
internal sealed partial class VipTableBuilder(NamedVipAllocator allocator)
{
    private const string NetworkScopeKey = "network-scope";

    public NamedVipAllocator Allocator { get; } = allocator;

    public VipTable Build(ClusterState state)
    {
        var agents = new Dictionary<string, uint?>(StringComparer.Ordinal);
        foreach (var agent in state.Agents)
        {
            agents[agent.Id] = TaskAddresses.AgentAddress(agent);
        }

        var entries = new List<Entry>();
        var invalid = new List<InvalidVipLabel>();
        foreach (var framework in state.Frameworks)
        {
            var frameworkLabel = DnsLabel.Mangle(framework.Name);
            foreach (var task in framework.Tasks)
            {
                if (task.State is not ("TASK_RUNNING" or "TASK_KILLING"))
                {
                    continue;
                }

                var context = new TaskContext(task, framework.Name, frameworkLabel, agents.GetValueOrDefault(task.AgentId));
                AddDiscoveryLabels(context, entries, invalid);
                AddLegacyLabels(context, entries, invalid);
            }
        }

        return Assemble(entries, invalid);
    }

    private static void AddDiscoveryLabels(TaskContext context, List<Entry> entries, List<InvalidVipLabel> invalid)
    {
        var task = context.Task;
        if (task.Discovery is null)
        {
            return;
        }

        foreach (var port in task.Discovery.Ports)
        {
            bool containerScope = port.Labels.Any(l =>
                l.Key.Equals(NetworkScopeKey, StringComparison.OrdinalIgnoreCase) &&
                l.Value.Equals("container", StringComparison.OrdinalIgnoreCase));
            foreach (var label in port.Labels)
            {
                if (!VipLabelParser.IsVipKey(label.Key))
                {
                    continue;
                }

                string? reason = null;
                if (!VipProtocols.TryParseList(port.Protocol, out bool tcp, out bool udp))
                {
                    reason = $"discovery port protocol '{port.Protocol}' is neither tcp nor udp";
                }
                else if (!VipLabelParser.TryParseValue(label.Value, out var target, out var parseReason))
                {
                    reason = parseReason;
                }
                else if (port.Number is < 1 or > 65535)
                {
                    reason = $"discovery port number {port.Number} is not between 1 and 65535";
                }
                else
                {
                    uint? address = containerScope ? TaskAddresses.ContainerAddress(task) : context.AgentAddress;
                    reason = address is null
                        ? containerScope
                            ? "network-scope=container but the task reports no IPv4 container address"
                            : $"agent '{task.AgentId}' has no IPv4 address"
                        : (tcp ? context.Add(entries, label, target, new IpPort(address.Value, (ushort)port.Number)) : null)
                          ?? (udp ? context.Add(entries, label, target, new IpPort(address.Value, (ushort)port.Number, VipProtocol.Udp)) : null);
                }

                if (reason is not null)
                {
                    invalid.Add(new InvalidVipLabel(task.Id, context.Framework, label.Key, label.Value, reason));
                }
            }
        }
    }

    private static void AddLegacyLabels(TaskContext context, List<Entry> entries, List<InvalidVipLabel> invalid)
    {
        var task = context.Task;
        foreach (var label in task.Labels)
        {
            if (!VipLabelParser.IsLegacyTaskKey(label.Key, out int index))
            {
                continue;
            }

            string? reason;
            if (!VipLabelParser.TryParseLegacyValue(label.Value, out var target, out var protocol, out var parseReason))
            {
                reason = parseReason;
            }
            else if (TaskAddresses.HostPort(task, index) is not { } hostPort || hostPort is < 1 or > 65535)
            {
                reason = $"the task has no host port number {index}";
            }
            else
            {
                reason = context.AgentAddress is { } agent
                    ? context.Add(entries, label, target, new IpPort(agent, (ushort)hostPort, protocol))
                    : $"agent '{task.AgentId}' has no IPv4 address";
            }

            if (reason is not null)
            {
                invalid.Add(new InvalidVipLabel(task.Id, context.Framework, label.Key, label.Value, reason));
            }
        }
    }

    private VipTable Assemble(List<Entry> entries, List<InvalidVipLabel> invalid)
    {
        var reserved = entries.Where(e => !e.Target.IsNamed).Select(e => e.Target.Address).ToHashSet();
        var allocation = Allocator.Allocate(
            entries.Where(e => e.NameKey is not null).Select(e => new NamedVipClaim(e.NameKey!, e.Since, e.Backend.TaskId)),
            reserved);
        return AssembleWith(entries, invalid, allocation);
    }

    private VipTable AssembleWith(List<Entry> entries, List<InvalidVipLabel> invalid, NamedVipAllocation allocation)
    {
        var vips = new Dictionary<IpPort, (string? Name, Dictionary<IpPort, VipBackend> Backends)>();
        var named = new SortedDictionary<string, NamedVipAddress>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            uint address = entry.Target.Address;
            if (entry.NameKey is { } key)
            {
                if (!allocation.Addresses.TryGetValue(key, out address))
                {
                    invalid.Add(entry.Invalid($"VIP range {Allocator.Range} has no free address for '{key}'"));
                    continue;
                }

                named.TryAdd(key, new NamedVipAddress(entry.Target.Label!, entry.FrameworkLabel, IpPort.FromHostOrder(address)));
            }

            // A VIP speaks its backends' protocol: the same address and port over TCP and UDP are two VIPs.
            var vip = new IpPort(address, entry.Target.Port, entry.Backend.Endpoint.Protocol);
            if (!vips.TryGetValue(vip, out var slot))
            {
                slot = (entry.NameKey, new Dictionary<IpPort, VipBackend>());
                vips[vip] = slot;
            }

            // The same backend listed twice (two labels, two frameworks) counts once, at its best weight.
            if (!slot.Backends.TryGetValue(entry.Backend.Endpoint, out var existing) || existing.Weight < entry.Backend.Weight)
            {
                slot.Backends[entry.Backend.Endpoint] = entry.Backend;
            }
        }

        var keys = new IpPort[vips.Count];
        vips.Keys.CopyTo(keys, 0);
        Array.Sort(keys);
        var definitions = ImmutableArray.CreateBuilder<VipDefinition>(keys.Length);
        foreach (var key in keys)
        {
            var (name, backends) = vips[key];
            var sorted = new VipBackend[backends.Count];
            backends.Values.CopyTo(sorted, 0);
            if (sorted.Length > 1)
            {
                Array.Sort(sorted, static (x, y) => x.Endpoint.CompareTo(y.Endpoint));
            }

            definitions.Add(new VipDefinition(key, name, ImmutableArray.Create(sorted)));
        }

        return new VipTable(definitions.MoveToImmutable(), [.. named.Values], [.. invalid]);
    }

    /// <param name="Since">The task's earliest status time: the seniority of the named VIP it claims.</param>
    internal sealed record Entry(VipTarget Target, string? NameKey, string FrameworkLabel, VipBackend Backend, Label Source, string Framework, double Since)
    {
        public InvalidVipLabel Invalid(string reason) => new(Backend.TaskId, Framework, Source.Key, Source.Value, reason);
    }

    private sealed record TaskContext(TaskInfo Task, string Framework, string FrameworkLabel, uint? AgentAddress)
    {
        /// <summary>Adds the entry, or returns why it cannot be added.</summary>
        public string? Add(List<Entry> entries, Label source, VipTarget target, IpPort backend)
        {
            string? nameKey = null;
            if (target.IsNamed)
            {
                if (FrameworkLabel.Length == 0)
                {
                    return $"framework name '{Framework}' has no letters or digits to name the VIP with";
                }

                nameKey = $"{target.Label}.{FrameworkLabel}";
            }

            entries.Add(new Entry(target, nameKey, FrameworkLabel, new VipBackend(backend, TaskAddresses.Weight(Task), Task.Id), source, Framework, EarliestStatus(Task)));
            return null;
        }

        /// <summary>A task without statuses is taken as the youngest (it cannot out-age a serving one).</summary>
        private static double EarliestStatus(TaskInfo task)
        {
            double earliest = double.MaxValue;
            foreach (var status in task.Statuses)
            {
                earliest = Math.Min(earliest, status.Timestamp);
            }

            return earliest;
        }
    }
}
