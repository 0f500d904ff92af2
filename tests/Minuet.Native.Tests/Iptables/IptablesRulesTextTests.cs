using Minuet.Native.Iptables;

namespace Minuet.Native.Tests.Iptables;

public class IptablesRulesTextTests
{
    private const string Rules = """
        *raw
        :PREROUTING ACCEPT [0:0]
        -A OUTPUT -p tcp -m set --match-set minuet dst,dst --syn -j NFQUEUE --queue-num 50
        COMMIT
        *filter
        :MINUET-REJECT - [0:0]
        -I OUTPUT 1 -m comment --comment "minuet vip reject" -j MINUET-REJECT
        -A MINUET-REJECT -p tcp -j REJECT --reject-with icmp-port-unreachable
        COMMIT
        """;

    [Fact]
    public void ParseRules_RestoreText_ReturnsTableChainAndSpecInOrder()
    {
        var rules = IptablesRulesText.ParseRules(Rules);

        Assert.Equal(
            [
                new IptablesRule("raw", "OUTPUT", "-p tcp -m set --match-set minuet dst,dst --syn -j NFQUEUE --queue-num 50"),
                new IptablesRule("filter", "OUTPUT", "-m comment --comment \"minuet vip reject\" -j MINUET-REJECT"),
                new IptablesRule("filter", "MINUET-REJECT", "-p tcp -j REJECT --reject-with icmp-port-unreachable"),
            ],
            rules);
    }

    [Fact]
    public void ParseUserChains_SkipsBuiltInChains()
    {
        Assert.Equal([("filter", "MINUET-REJECT")], IptablesRulesText.ParseUserChains(Rules));
    }

    [Fact]
    public void Tokenize_QuotedComment_StaysOneArgument()
    {
        Assert.Equal(["-m", "comment", "--comment", "a b", "-j", "X"], IptablesRulesText.Tokenize("-m comment --comment \"a b\" -j X"));
    }
}
