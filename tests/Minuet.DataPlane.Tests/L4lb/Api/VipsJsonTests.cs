using System.Text;
using System.Text.Json;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Api;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using static Minuet.DataPlane.Tests.L4lb.StateBuilder;

namespace Minuet.DataPlane.Tests.L4lb.Api;

public class VipsJsonTests
{
    private readonly ManualTimeProvider _time = new();

    private L4lbStatus Status(VipBalancer balancer) => new(balancer, new L4lbOptions(), new L4lbMetrics(), _time);

    private static VipBalancer Balancer(ManualTimeProvider time)
    {
        var balancer = new VipBalancer(new PowerOfTwoChoicesPolicy(new Random(1), time), new BackendRegistry());
        var table = new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))).Build(State(
            [Agent("a1", "198.18.1.1")],
            Task("t1", "a1", 31000, [Vip("198.19.0.10:80")]),
            Task("t2", "a1", 31001, [Vip("198.19.0.10:80"), Vip("/bad", "VIP_1")])));
        balancer.Apply(table);
        return balancer;
    }

    [Fact]
    public void Vips_TwoBackends_MinutemanShapeExactly()
    {
        var balancer = Balancer(_time);
        balancer.Registry.TryGet(IpPort.TryParse("198.18.1.1:31000", out var b) ? b : default, out var state);
        for (int i = 0; i < 7; i++)
        {
            state.ConnectionStarted();
            state.RecordSuccess(0, 1);
        }

        var json = Encoding.UTF8.GetString(VipsJson.Vips(Status(balancer)));

        Assert.Equal(
            "{\"vips\":{\"198.19.0.10:80\":{" +
            "\"198.18.1.1:31000\":{\"pending_connections\":0,\"total_failures\":0,\"total_sucesses\":7,\"total_successes\":7,\"is_healthy\":true,\"latency_last_60s\":{},\"protocol\":\"tcp\"}," +
            "\"198.18.1.1:31001\":{\"pending_connections\":0,\"total_failures\":0,\"total_sucesses\":0,\"total_successes\":0,\"is_healthy\":true,\"latency_last_60s\":{},\"protocol\":\"tcp\"}}}}",
            json);
    }

    [Fact]
    public void Vips_UdpAndTcpOnOneAddressAndPort_TwoKeysWithProtocol()
    {
        var balancer = new VipBalancer(new PowerOfTwoChoicesPolicy(new Random(1), _time), new BackendRegistry());
        var udp = Task("u1", "a1", 5353, []) with
        {
            Discovery = new Model.DiscoveryInfo { Ports = [new Model.DiscoveryPort { Number = 5353, Protocol = "udp", Labels = [Vip("198.19.0.53:53")] }] },
        };
        balancer.Apply(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))).Build(State(
            [Agent("a1", "198.18.1.1")], udp, Task("t1", "a1", 5354, [Vip("198.19.0.53:53")]))));

        using var doc = JsonDocument.Parse(VipsJson.Vips(Status(balancer)));
        var vips = doc.RootElement.GetProperty("vips");

        Assert.Equal("tcp", vips.GetProperty("198.19.0.53:53").GetProperty("198.18.1.1:5354").GetProperty("protocol").GetString());
        Assert.Equal("udp", vips.GetProperty("198.19.0.53:53/udp").GetProperty("198.18.1.1:5353").GetProperty("protocol").GetString());
    }

    [Fact]
    public void Vips_RecentLatency_HistogramKeys()
    {
        var balancer = Balancer(_time);
        balancer.Registry.TryGet(IpPort.TryParse("198.18.1.1:31000", out var b) ? b : default, out var state);
        state.RecordSuccess(_time.GetTimestamp(), 4.5);

        using var doc = JsonDocument.Parse(VipsJson.Backend(Status(balancer), state));
        var latency = doc.RootElement.GetProperty("latency_last_60s");

        Assert.Equal(1, latency.GetProperty("n").GetInt32());
        Assert.Equal(4.5, latency.GetProperty("99").GetDouble());
    }

    [Fact]
    public void InvalidLabels_ListsReason()
    {
        using var doc = JsonDocument.Parse(L4lbInfoJson.InvalidLabels(Status(Balancer(_time))));
        var label = Assert.Single(doc.RootElement.GetProperty("invalid_labels").EnumerateArray());

        Assert.Equal("t2", label.GetProperty("task_id").GetString());
        Assert.Equal("VIP_1", label.GetProperty("key").GetString());
        Assert.Contains("no port", label.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Config_ShowsPolicyAndHealthSettings()
    {
        using var doc = JsonDocument.Parse(L4lbInfoJson.Config(Status(Balancer(_time))));

        Assert.Equal("p2c", doc.RootElement.GetProperty("policy").GetString());
        Assert.Equal(400, doc.RootElement.GetProperty("health").GetProperty("connect_timeout_ms").GetDouble());
        Assert.Equal(5, doc.RootElement.GetProperty("health").GetProperty("failure_threshold").GetInt32());
    }
}
