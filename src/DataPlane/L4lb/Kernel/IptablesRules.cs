using System.Globalization;
using System.Text;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// Minuteman's kernel rules, kept in Minuet's own chains so they can be replaced atomically and removed
/// cleanly; the built-in chains only get one jump each.
/// <list type="bullet">
/// <item>raw PREROUTING and OUTPUT: a SYN to a VIP in the set goes to NFQUEUE, and so does every datagram to a
/// UDP VIP (the set's members carry their protocol; the raw table runs before conntrack, so a UDP flow's later
/// datagrams cannot be told from its first here: the worker sees EEXIST and accepts them) (one queue per worker,
/// <c>--queue-balance A:B</c>, or <c>--queue-num</c> for one worker, since A must be below B), with
/// <c>--queue-bypass</c> under <c>--fail-open</c>.</item>
/// <item>filter OUTPUT and FORWARD: VIP traffic conntrack did not DNAT is refused at once (TCP reset; ICMP port
/// unreachable for UDP), so a
/// VIP without backends fails fast instead of hanging. The conntrack match also turns conntrack on in a fresh
/// namespace, without which pre-created entries are never matched. Under <c>--fail-open</c> the refusal cannot
/// match on the set: with the daemon gone, <c>--queue-bypass</c> accepts SYNs un-NATed, and such a rule would
/// refuse exactly the traffic fail-open promises to let through. So the queue worker marks the SYNs it saw and
/// could not balance (<see cref="RefuseMark"/>, set in the verdict) and the REJECT matches that mark: a VIP with
/// no usable backend is still refused at once, and only SYNs no reader saw pass un-NATed.</item>
/// <item>nat POSTROUTING: an empty chain whose only job is to make the nat table (and its NAT hooks) exist in
/// the namespace; without NAT hooks, the DNAT in an entry created over ctnetlink is never applied. Hairpin
/// SNAT cannot be a rule here: an entry created with a DNAT gets a null source binding, so nat rules never see
/// it. The queue worker puts the hairpin SNAT into the entry instead, as Minuteman did.</item>
/// </list>
/// </summary>
internal sealed class IptablesRules(L4lbOptions options)
{
    public const string Chain = "MINUET-L4LB";

    /// <summary>
    /// Packet mark bit the queue worker sets (under <c>--fail-open</c>) on a SYN it could not balance, so the filter
    /// rule refuses it. One bit, OR-ed into the packet's mark, so other users of the mark keep theirs.
    /// </summary>
    public const uint RefuseMark = 0x00200000;

    /// <summary>(table, built-in chain) pairs that jump to <see cref="Chain"/>.</summary>
    public static IReadOnlyList<(string Table, string BuiltIn)> Jumps { get; } =
    [
        ("raw", "PREROUTING"),
        ("raw", "OUTPUT"),
        ("filter", "OUTPUT"),
        ("filter", "FORWARD"),
        ("nat", "POSTROUTING"),
    ];

    /// <summary>The queue target options: <c>--queue-num N</c> or <c>--queue-balance A:B</c>, plus bypass.</summary>
    public string QueueTarget()
    {
        int first = options.FirstQueue;
        int last = first + options.QueueCount - 1;
        var target = last > first
            ? string.Create(CultureInfo.InvariantCulture, $"NFQUEUE --queue-balance {first}:{last}")
            : string.Create(CultureInfo.InvariantCulture, $"NFQUEUE --queue-num {first}");
        return options.FailOpen ? target + " --queue-bypass" : target;
    }

    /// <summary>
    /// Input for <c>iptables-restore --noflush</c>: declaring the chain flushes it, so applying this replaces
    /// the chain's rules in one transaction and leaves every other rule alone.
    /// </summary>
    public string RestoreText()
    {
        string set = options.SetName;
        var text = new StringBuilder();
        text.Append("*raw\n")
            .Append(':').Append(Chain).Append(" - [0:0]\n")
            .Append("-A ").Append(Chain).Append(" -p tcp -m set --match-set ").Append(set)
            .Append(" dst,dst --tcp-flags FIN,SYN,RST,ACK SYN -m comment --comment \"minuet l4lb: SYN to a VIP goes to the balancer\" -j ")
            .Append(QueueTarget()).Append('\n')
            .Append("-A ").Append(Chain).Append(" -p udp -m set --match-set ").Append(set)
            .Append(" dst,dst -m comment --comment \"minuet l4lb: datagram to a UDP VIP goes to the balancer\" -j ")
            .Append(QueueTarget()).Append('\n')
            .Append("COMMIT\n");
        text.Append("*filter\n")
            .Append(':').Append(Chain).Append(" - [0:0]\n")
            .Append("-A ").Append(Chain).Append(" -m conntrack --ctstate DNAT -j RETURN\n");
        if (!options.FailOpen)
        {
            text.Append("-A ").Append(Chain).Append(" -p tcp -m set --match-set ").Append(set)
                .Append(" dst,dst -m comment --comment \"minuet l4lb: VIP traffic nobody NATed is refused\" -j REJECT --reject-with tcp-reset\n")
                .Append("-A ").Append(Chain).Append(" -p udp -m set --match-set ").Append(set)
                .Append(" dst,dst -m comment --comment \"minuet l4lb: UDP VIP traffic nobody NATed is refused\" -j REJECT --reject-with icmp-port-unreachable\n");
        }
        else
        {
            // A SYN that bypassed a dead queue carries no mark and passes un-NATed; one the worker saw and could
            // not balance carries the mark and is refused as without --fail-open.
            string mark = string.Create(CultureInfo.InvariantCulture, $"0x{RefuseMark:x}/0x{RefuseMark:x}");
            text.Append("-A ").Append(Chain).Append(" -p tcp -m mark --mark ").Append(mark)
                .Append(" -m comment --comment \"minuet l4lb: a SYN the balancer could not balance is refused\" -j REJECT --reject-with tcp-reset\n");
        }

        text.Append("COMMIT\n");
        text.Append("*nat\n")
            .Append(':').Append(Chain).Append(" - [0:0]\n")
            .Append("COMMIT\n");
        return text.ToString();
    }
}
