using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using static Minuet.DataPlane.Tests.L4lb.StateBuilder;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

public class VipTableBuilderTests
{
    private static readonly VipRange TestRange = VipRange.Parse("198.19.0.0/16");
    private static readonly AgentInfo[] Agents = [Agent("a1", "198.18.1.1"), Agent("a2", "198.18.1.2")];

    private static VipTable Build(ClusterState state) => new VipTableBuilder(new NamedVipAllocator(TestRange)).Build(state);

    [Fact]
    public void Build_HostScope_UsesAgentIpAndPortNumber()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 31000, [Vip("198.19.0.10:80")]),
            Task("t2", "a2", 31001, [Vip("198.19.0.10:80")])));

        var vip = Assert.Single(table.Vips);
        Assert.Equal("198.19.0.10:80", vip.Vip.ToString());
        Assert.Null(vip.Name);
        Assert.Equal(["198.18.1.1:31000", "198.18.1.2:31001"], vip.Backends.Select(b => b.Endpoint.ToString()));
        Assert.All(vip.Backends, b => Assert.Equal(1, b.Weight));
        Assert.Empty(table.InvalidLabels);
    }

    [Fact]
    public void Build_ContainerScope_UsesContainerIpAndPortNumber()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 8080, [Vip("/web:80"), new Label("network-scope", "container")], containerIp: "198.18.9.5")));

        var backend = Assert.Single(Assert.Single(table.Vips).Backends);
        Assert.Equal("198.18.9.5:8080", backend.Endpoint.ToString());
    }

    [Fact]
    public void Build_ContainerScopeWithoutContainerIp_SkipsWithReason()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 8080, [Vip("/web:80"), new Label("network-scope", "container")])));

        Assert.Empty(table.Vips);
        var invalid = Assert.Single(table.InvalidLabels);
        Assert.Equal("t1", invalid.TaskId);
        Assert.Contains("container address", invalid.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NamedVip_GetsAddressInRangeAndIsListed()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 31000, [Vip("/web:80")]),
            Task("t2", "a2", 31000, [Vip("/web:80")])));

        var vip = Assert.Single(table.Vips);
        Assert.Equal("web.marathon", vip.Name);
        Assert.True(TestRange.Contains(vip.Vip.Address));
        Assert.Equal(2, vip.Backends.Length);
        var named = Assert.Single(table.NamedVips);
        Assert.Equal(("web", "marathon"), (named.Label, named.Framework));
        Assert.Equal(IpPort.FormatAddress(vip.Vip.Address), named.Address.ToString());
    }

    [Fact]
    public void Build_SameNameTwoPorts_SharesOneAddress()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 31000, [Vip("/web:80")]),
            Task("t2", "a1", 31001, [Vip("/web:443")])));

        Assert.Equal(2, table.Vips.Length);
        Assert.Equal(table.Vips[0].Vip.Address, table.Vips[1].Vip.Address);
        Assert.Single(table.NamedVips);
    }

    [Theory]
    [InlineData("TASK_STAGING")]
    [InlineData("TASK_FINISHED")]
    [InlineData("TASK_FAILED")]
    [InlineData("TASK_LOST")]
    public void Build_NotRunningTask_IsLeftOut(string state)
    {
        var table = Build(State(Agents, Task("t1", "a1", 31000, [Vip("/web:80")], state: state)));

        Assert.Empty(table.Vips);
        Assert.Empty(table.NamedVips);
    }

    [Fact]
    public void Build_UnhealthyOrKilling_KeptWithWeightZero()
    {
        var table = Build(State(Agents,
            Task("ok", "a1", 31000, [Vip("198.19.0.10:80")], healthy: true),
            Task("sick", "a1", 31001, [Vip("198.19.0.10:80")], healthy: false),
            Task("dying", "a1", 31002, [Vip("198.19.0.10:80")], state: "TASK_KILLING")));

        var weights = Assert.Single(table.Vips).Backends.ToDictionary(b => b.TaskId, b => b.Weight);
        Assert.Equal(1, weights["ok"]);
        Assert.Equal(0, weights["sick"]);
        Assert.Equal(0, weights["dying"]);
    }

    [Fact]
    public void Build_InvalidLabels_CollectedWithReasonsAndOthersKept()
    {
        var table = Build(State(Agents,
            Task("t1", "a1", 31000, [Vip("/web"), Vip("198.19.0.10:80", "VIP_1"), Vip("/x:99999", "vip_2")]),
            Task("t2", "nowhere", 31000, [Vip("/api:80")])));

        Assert.Single(table.Vips);
        Assert.Equal(3, table.InvalidLabels.Length);
        Assert.Contains(table.InvalidLabels, l => l.Key == "VIP_0" && l.Reason.Contains("no port", StringComparison.Ordinal));
        Assert.Contains(table.InvalidLabels, l => l.Key == "vip_2" && l.Reason.Contains("65535", StringComparison.Ordinal));
        Assert.Contains(table.InvalidLabels, l => l.TaskId == "t2" && l.Reason.Contains("agent 'nowhere'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_LegacyTaskLabel_BindsIndexedHostPort()
    {
        var task = Task("t1", "a1", 31000, []) with
        {
            Ports = [new PortRange(31000, 31001)],
            Labels = [new Label("VIP_PORT1", "tcp://198.19.0.20:5000")],
        };

        var table = Build(State(Agents, task));

        var vip = Assert.Single(table.Vips);
        Assert.Equal("198.19.0.20:5000", vip.Vip.ToString());
        Assert.Equal("198.18.1.1:31001", Assert.Single(vip.Backends).Endpoint.ToString());
    }

    [Fact]
    public void Build_UdpPort_MakesUdpVipWithUdpBackends()
    {
        var task = Task("t1", "a1", 53, []) with
        {
            Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = 53, Protocol = "udp", Labels = [Vip("198.19.0.53:53")] }] },
        };

        var table = Build(State(Agents, task));

        var vip = Assert.Single(table.Vips);
        Assert.Equal(new IpPort(0xC6130035u, 53, VipProtocol.Udp), vip.Vip);
        Assert.Equal(VipProtocol.Udp, Assert.Single(vip.Backends).Endpoint.Protocol);
        Assert.Empty(table.InvalidLabels);
    }

    [Fact]
    public void Build_SameAddressAndPortOverTcpAndUdp_TwoVipsOneName()
    {
        var udp = Task("u1", "a1", 5353, []) with
        {
            Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = 5353, Protocol = "udp", Labels = [Vip("/dns:53")] }] },
        };
        var tcp = Task("t1", "a2", 5354, [Vip("/dns:53")]);

        var table = Build(State(Agents, udp, tcp));

        Assert.Equal(2, table.Vips.Length);
        Assert.Equal(table.Vips[0].Vip with { Protocol = VipProtocol.Udp }, table.Vips[1].Vip);
        Assert.Equal(VipProtocol.Tcp, table.Vips[0].Vip.Protocol);
        Assert.Equal("198.18.1.2:5354", Assert.Single(table.Vips[0].Backends).Endpoint.ToString());
        Assert.Equal("198.18.1.1:5353", Assert.Single(table.Vips[1].Backends).Endpoint.ToString());
        Assert.Equal("dns", Assert.Single(table.NamedVips).Label);
    }

    [Fact]
    public void Build_MarathonUdpTcpPort_OneVipPerProtocol()
    {
        var task = Task("t1", "a1", 53, []) with
        {
            Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = 53, Protocol = "udp,tcp", Labels = [Vip("198.19.0.53:53")] }] },
        };

        var table = Build(State(Agents, task));

        Assert.Equal([VipProtocol.Tcp, VipProtocol.Udp], table.Vips.Select(v => v.Vip.Protocol));
    }

    [Fact]
    public void Build_UnknownPortProtocol_SkippedNamingIt()
    {
        var task = Task("t1", "a1", 53, []) with
        {
            Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = 53, Protocol = "sctp", Labels = [Vip("/dns:53")] }] },
        };

        var table = Build(State(Agents, task));

        Assert.Empty(table.Vips);
        Assert.Contains("protocol 'sctp'", Assert.Single(table.InvalidLabels).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LegacyUdpTaskLabel_MakesUdpVip()
    {
        var task = Task("t1", "a1", 31053, []) with { Labels = [new Label("VIP_PORT0", "udp://198.19.0.53:53")] };

        var table = Build(State(Agents, task));

        var vip = Assert.Single(table.Vips);
        Assert.Equal(VipProtocol.Udp, vip.Vip.Protocol);
        Assert.Equal(new IpPort(0xC6120101u, 31053, VipProtocol.Udp), Assert.Single(vip.Backends).Endpoint);
    }

    [Fact]
    public void Build_CollidingNamedVipAppears_LiveNamedVipKeepsAddressOnEveryAgent()
    {
        var allocator = new NamedVipAllocator(TestRange);
        var (incumbent, newcomer) = NamedVipAllocatorTests.CollidingPair(allocator);
        string Label(string key) => key[..key.IndexOf('.', StringComparison.Ordinal)];
        var old1 = Task("old-1", "a1", 31000, [Vip($"/{Label(incumbent)}:80")]);
        var old2 = Task("old-2", "a2", 31001, [Vip($"/{Label(incumbent)}:80")]) with { Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = 150 }] };
        var young = Task("young-1", "a2", 31002, [Vip($"/{Label(newcomer)}:80")]) with { Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = 200 }] };
        uint Address(VipTable table, string key) =>
            IpPort.ToHostOrder(table.NamedVips.Single(n => $"{n.Label}.{n.Framework}" == key).Address);

        var before = new VipTableBuilder(allocator).Build(State(Agents, old1, old2));
        var after = new VipTableBuilder(allocator).Build(State(Agents, old1, young, old2));
        var otherAgent = new VipTableBuilder(new NamedVipAllocator(TestRange)).Build(State(Agents, young, old2, old1));

        Assert.Equal(allocator.PreferredSlot(incumbent), allocator.PreferredSlot(newcomer));
        Assert.Equal(Address(before, incumbent), Address(after, incumbent));
        Assert.NotEqual(Address(after, incumbent), Address(after, newcomer));
        Assert.Equal(Address(after, incumbent), Address(otherAgent, incumbent));
        Assert.Equal(Address(after, newcomer), Address(otherAgent, newcomer));
    }

    [Fact]
    public void Build_NamedVip_AvoidsAddressOfIpVip()
    {
        var allocator = new NamedVipAllocator(TestRange);
        var preferred = TestRange.AddressAt(allocator.PreferredSlot("web.marathon"));
        var table = new VipTableBuilder(allocator).Build(State(Agents,
            Task("t1", "a1", 31000, [Vip($"{IpPort.FormatAddress(preferred)}:80")]),
            Task("t2", "a1", 31001, [Vip("/web:80")])));

        Assert.Equal(2, table.Vips.Length);
        Assert.NotEqual(preferred, IpPort.ToHostOrder(Assert.Single(table.NamedVips).Address));
    }
}
