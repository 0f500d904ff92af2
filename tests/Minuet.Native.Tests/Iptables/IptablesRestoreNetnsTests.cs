using Minuet.Native.Iptables;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Iptables;

/// <summary>The iptables runner inside a namespace each test creates; the host's rules are never touched.</summary>
public class IptablesRestoreNetnsTests
{
    private const string Rules = """
        *filter
        :MINUET-TEST - [0:0]
        -A OUTPUT -d 198.19.0.0/16 -m comment --comment "minuet test" -j MINUET-TEST
        -A MINUET-TEST -p tcp -j REJECT --reject-with icmp-port-unreachable
        COMMIT
        """;

    [NetnsFact]
    public async Task ApplyCheckRemove_RulesText_InstalledThenGoneCleanly()
    {
        using var ns = NetnsScope.Create();
        var runner = new IptablesRestore(ns.Name);
        var rule = IptablesRulesText.ParseRules(Rules)[0];

        var applied = await runner.ApplyAsync(Rules);
        var (check, exists) = await runner.ExistsAsync(rule);
        var (list, listed) = await runner.ListAsync("filter");
        var removed = await runner.RemoveAsync(Rules);
        var (_, existsAfter) = await runner.ExistsAsync(rule);

        Assert.True(applied.IsSuccess, applied.ToString());
        Assert.True(check.IsSuccess && exists, check.ToString());
        Assert.True(list.IsSuccess);
        Assert.Contains(listed, r => r.Chain == "MINUET-TEST" && r.Specification.Contains("REJECT", StringComparison.Ordinal));
        Assert.True(removed.IsSuccess, removed.ToString());
        Assert.False(existsAfter);
        Assert.DoesNotContain("MINUET-TEST", ns.Exec("iptables-save -t filter"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task ApplyAsync_BadRule_ReturnsExitCodeAndMessage()
    {
        using var ns = NetnsScope.Create();
        var runner = new IptablesRestore(ns.Name);

        var result = await runner.ApplyAsync("*filter\n-A OUTPUT -j NO-SUCH-CHAIN\nCOMMIT\n");

        Assert.False(result.IsSuccess);
        Assert.Equal("iptables-restore", result.Operation);
        Assert.NotEmpty(result.Error);
    }
}
