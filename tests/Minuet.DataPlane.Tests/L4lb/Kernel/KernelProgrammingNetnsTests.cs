using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Kernel;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.TestSupport;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

/// <summary>The ipset and iptables programming against the real kernel, inside namespaces the tests create.</summary>
public class KernelProgrammingNetnsTests
{
    private static IpPort Vip(int i) => new(0xC6130000u + (uint)i, 80);

    [NetnsFact]
    public void VipSet_DeltaThenRebuild_KernelHoldsExactlyDesired()
    {
        using var ns = KernelNetns.Create();

        var (afterDelta, afterRemove, afterRebuild) = ns.Run(() =>
        {
            Assert.True(VipSet.TryOpen("mt-l4-vips", out var set).IsSuccess);
            using (set)
            {
                Assert.True(set!.Ensure().IsSuccess);
                Assert.True(set.ApplyDelta(new HashSet<IpPort> { Vip(1), Vip(2), Vip(3) }).IsSuccess);
                var first = new List<IpPort>();
                set.ListKernel(first);
                Assert.True(set.ApplyDelta(new HashSet<IpPort> { Vip(2), Vip(3), Vip(4) }).IsSuccess);
                var second = new List<IpPort>();
                set.ListKernel(second);

                // Drift: someone adds a stray member behind our back; the rebuild removes it.
                KernelNetns.Run("ip", $"netns exec {ns.Name} ipset add mt-l4-vips 198.19.9.9,tcp:81");
                Assert.True(set.Rebuild(new HashSet<IpPort> { Vip(2), Vip(5) }).IsSuccess);
                var third = new List<IpPort>();
                set.ListKernel(third);
                return (first, second, third);
            }
        });

        Assert.Equal([Vip(1), Vip(2), Vip(3)], afterDelta.Order());
        Assert.Equal([Vip(2), Vip(3), Vip(4)], afterRemove.Order());
        Assert.Equal([Vip(2), Vip(5)], afterRebuild.Order());
        Assert.DoesNotContain("mt-l4-vips-tmp", ns.Exec("ipset list -n"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public void VipSet_TcpAndUdpVipOnOneAddressAndPort_TwoMembers()
    {
        using var ns = KernelNetns.Create();
        var tcp = new IpPort(0xC613000Au, 53);
        var udp = tcp with { Protocol = VipProtocol.Udp };

        var listed = ns.Run(() =>
        {
            Assert.True(VipSet.TryOpen("mt-l4-udp", out var set).IsSuccess);
            using (set)
            {
                Assert.True(set!.Ensure().IsSuccess);
                Assert.True(set.ApplyDelta(new HashSet<IpPort> { tcp, udp }).IsSuccess);
                var members = new List<IpPort>();
                set.ListKernel(members);
                return members;
            }
        });

        Assert.Equal([tcp, udp], listed.Order());
        var text = ns.Exec("ipset list mt-l4-udp");
        Assert.Contains("198.19.0.10,udp:53", text, StringComparison.Ordinal);
        Assert.Contains("198.19.0.10,tcp:53", text, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task IptablesInstaller_InstallTwiceThenRemove_OneJumpEachAndCleanExit()
    {
        using var ns = KernelNetns.Create();
        ns.Exec("ipset create mt-l4-rules hash:ip,port");
        var installer = new IptablesInstaller(new IptablesRules(new L4lbOptions { SetName = "mt-l4-rules", QueueCount = 2 }), ns.Name);

        var first = await installer.InstallAsync(CancellationToken.None);
        var second = await installer.InstallAsync(CancellationToken.None);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(second.IsSuccess, second.ToString());
        Assert.True(await installer.JumpsPresentAsync(CancellationToken.None));
        var raw = ns.Exec("iptables -t raw -S");
        Assert.Equal(1, raw.Split("-A OUTPUT -j MINUET-L4LB").Length - 1);
        Assert.Contains("--queue-balance 50:51", raw, StringComparison.Ordinal);
        Assert.Contains("REJECT --reject-with tcp-reset", ns.Exec("iptables -S MINUET-L4LB"), StringComparison.Ordinal);

        var failures = await installer.RemoveAsync(CancellationToken.None);

        Assert.Empty(failures);
        Assert.DoesNotContain("MINUET-L4LB", ns.Exec("iptables-save"), StringComparison.Ordinal);
        ns.Exec("ipset destroy mt-l4-rules");
    }
}
