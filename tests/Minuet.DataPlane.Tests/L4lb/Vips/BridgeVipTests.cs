using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using static Minuet.DataPlane.Tests.L4lb.StateBuilder;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

/// <summary>A Docker BRIDGE task reports its container IP, but its VIP backend is the agent's address and host port.</summary>
public class BridgeVipTests
{
    [Fact]
    public void Build_HostScopedPortOfTaskWithContainerIp_BackendIsAgentAndHostPort()
    {
        var table = new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))).Build(State(
            [Agent("a1", "198.18.1.1")],
            Task("web.1", "a1", 31001, [Vip("/web:80"), new Label("network-scope", "host")], containerIp: "198.18.240.2")));

        var backend = Assert.Single(Assert.Single(table.Vips).Backends);
        Assert.Equal("198.18.1.1:31001", backend.Endpoint.ToString());
    }
}
