using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

public class VipLabelParserTests
{
    [Theory]
    [InlineData("VIP_0", true)]
    [InlineData("vip_1", true)]
    [InlineData("VIPs", true)]
    [InlineData("Vip", true)]
    [InlineData("network-scope", false)]
    [InlineData("MY_VIP", false)]
    public void IsVipKey_KeyPrefix_MatchesCaseInsensitively(string key, bool expected) =>
        Assert.Equal(expected, VipLabelParser.IsVipKey(key));

    [Fact]
    public void TryParseValue_IpAndPort_GivesIpVip()
    {
        Assert.True(VipLabelParser.TryParseValue("198.19.0.10:80", out var target, out _));
        Assert.False(target.IsNamed);
        Assert.Equal("198.19.0.10", IpPort.FormatAddress(target.Address));
        Assert.Equal(80, target.Port);
    }

    [Theory]
    [InlineData("/web:80", "web")]
    [InlineData("/my-service:5555", "my-service")]
    [InlineData("/mygroup/myapp:80", "mygroupmyapp")]
    [InlineData("web:8080", "web")]
    [InlineData("/My_App:1", "my-app")]
    public void TryParseValue_Name_GivesMangledLabel(string value, string label)
    {
        Assert.True(VipLabelParser.TryParseValue(value, out var target, out _));
        Assert.True(target.IsNamed);
        Assert.Equal(label, target.Label);
    }

    [Theory]
    [InlineData("198.19.0.10", "no port")]
    [InlineData("/web:0", "between 1 and 65535")]
    [InlineData("/web:70000", "between 1 and 65535")]
    [InlineData("/web:http", "between 1 and 65535")]
    [InlineData(":80", "empty name")]
    [InlineData("/!!!:80", "no letters or digits")]
    [InlineData("1.2.3:80", "neither an IPv4 address nor a name")]
    [InlineData("[fd01::1]:80", "neither an IPv4 address nor a name")]
    public void TryParseValue_Invalid_ReturnsReason(string value, string reasonPart)
    {
        Assert.False(VipLabelParser.TryParseValue(value, out _, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void IsLegacyTaskKey_VipPortN_GivesIndex()
    {
        Assert.True(VipLabelParser.IsLegacyTaskKey("VIP_PORT1", out int index));
        Assert.Equal(1, index);
        Assert.True(VipLabelParser.IsLegacyTaskKey("vip_port0", out index));
        Assert.Equal(0, index);
        Assert.False(VipLabelParser.IsLegacyTaskKey("VIP_PORTx", out _));
    }

    [Fact]
    public void TryParseLegacyValue_Scheme_GivesProtocol()
    {
        Assert.True(VipLabelParser.TryParseLegacyValue("udp://198.19.0.1:53", out var udp, out var udpProtocol, out _));
        Assert.Equal((53, VipProtocol.Udp), (udp.Port, udpProtocol));
        Assert.True(VipLabelParser.TryParseLegacyValue("tcp://198.19.0.1:80", out var tcp, out var tcpProtocol, out _));
        Assert.Equal((80, VipProtocol.Tcp), (tcp.Port, tcpProtocol));
        Assert.True(VipLabelParser.TryParseLegacyValue("198.19.0.1:81", out _, out var bare, out _));
        Assert.Equal(VipProtocol.Tcp, bare);
    }
}
