using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Kernel;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

public class IptablesRulesTests
{
    [Fact]
    public void QueueTarget_OneWorker_UsesQueueNum()
    {
        var rules = new IptablesRules(new L4lbOptions { FirstQueue = 50, QueueCount = 1 });

        Assert.Equal("NFQUEUE --queue-num 50", rules.QueueTarget());
    }

    [Fact]
    public void QueueTarget_FourWorkersFailOpen_BalancesWithBypass()
    {
        var rules = new IptablesRules(new L4lbOptions { FirstQueue = 50, QueueCount = 4, FailOpen = true });

        Assert.Equal("NFQUEUE --queue-balance 50:53 --queue-bypass", rules.QueueTarget());
    }

    [Fact]
    public void RestoreText_DeclaresChainInEachTableWithSetMatches()
    {
        var text = new IptablesRules(new L4lbOptions { SetName = "vips-x", QueueCount = 2 }).RestoreText();

        Assert.Contains("*raw\n:MINUET-L4LB - [0:0]\n", text, StringComparison.Ordinal);
        Assert.Contains("-m set --match-set vips-x dst,dst --tcp-flags FIN,SYN,RST,ACK SYN", text, StringComparison.Ordinal);
        Assert.Contains("-j NFQUEUE --queue-balance 50:51\n", text, StringComparison.Ordinal);
        Assert.Contains("-m conntrack --ctstate DNAT -j RETURN", text, StringComparison.Ordinal);
        Assert.Contains("-j REJECT --reject-with tcp-reset", text, StringComparison.Ordinal);
        Assert.Contains("*nat\n:MINUET-L4LB - [0:0]\nCOMMIT\n", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split("COMMIT").Length - 1);
    }

    [Fact]
    public void RestoreText_FailOpen_RejectsOnlyMarkedSynsNotTheSet()
    {
        var text = new IptablesRules(new L4lbOptions { SetName = "vips-x", FailOpen = true }).RestoreText();
        var filter = text[text.IndexOf("*filter", StringComparison.Ordinal)..text.IndexOf("*nat", StringComparison.Ordinal)];

        Assert.DoesNotContain("--match-set vips-x", filter, StringComparison.Ordinal);
        Assert.Contains("-m mark --mark 0x200000/0x200000", filter, StringComparison.Ordinal);
        Assert.Contains("-j REJECT --reject-with tcp-reset", filter, StringComparison.Ordinal);
        Assert.True(filter.IndexOf("--ctstate DNAT -j RETURN", StringComparison.Ordinal) < filter.IndexOf("REJECT", StringComparison.Ordinal));
        Assert.Contains("--queue-bypass", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RestoreText_UdpVips_QueuedAndRefusedWithPortUnreachable()
    {
        var text = new IptablesRules(new L4lbOptions { SetName = "vips-x", QueueCount = 2 }).RestoreText();

        Assert.Contains("-p udp -m set --match-set vips-x dst,dst", text, StringComparison.Ordinal);
        var raw = text[..text.IndexOf("*filter", StringComparison.Ordinal)];
        Assert.Contains("-p udp -m set --match-set vips-x dst,dst -m comment --comment \"minuet l4lb: datagram to a UDP VIP goes to the balancer\" -j NFQUEUE --queue-balance 50:51\n", raw, StringComparison.Ordinal);
        Assert.Contains("-j REJECT --reject-with icmp-port-unreachable", text, StringComparison.Ordinal);
    }
}
