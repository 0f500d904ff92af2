using Minuet.DataPlane.L4lb.Kernel;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

public class HairpinSnatTests
{
    private const string IpAddrOutput =
        "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n" +
        "1: lo    inet 198.18.250.1/32 scope global lo\\       valid_lft forever preferred_lft forever\n" +
        "2: eth0    inet 198.18.1.1/24 brd 198.18.1.255 scope global eth0\\       valid_lft forever preferred_lft forever\n" +
        "5: docker0    inet 198.18.60.1/24 scope global docker0\\       valid_lft forever preferred_lft forever\n" +
        "garbage line\n";

    private static uint A(string ip) => IpPort.TryParseAddress(ip, out uint a) ? a : throw new FormatException(ip);

    private static HairpinSnat Table()
    {
        var snat = new HairpinSnat();
        snat.Update(HairpinSnat.Parse(IpAddrOutput));
        return snat;
    }

    [Fact]
    public void Parse_IpAddrOutput_ReadsEveryAddressWithItsMaskAndSkipsGarbage()
    {
        var subnets = HairpinSnat.Parse(IpAddrOutput);

        Assert.Equal(4, subnets.Length);
        Assert.Equal(new LocalSubnet(A("198.18.60.1"), 0xFFFFFF00), subnets[3]);
        Assert.Equal(new LocalSubnet(A("198.18.250.1"), 0xFFFFFFFF), subnets[1]);
    }

    [Fact]
    public void SourceFor_ClientIsItsOwnBackendOnBridge_SnatsToBridgeAddress() =>
        Assert.Equal(A("198.18.60.1"), Table().SourceFor(A("198.18.60.2"), A("198.18.60.2")));

    [Fact]
    public void SourceFor_SiblingOnSameBridge_SnatsToBridgeAddress() =>
        Assert.Equal(A("198.18.60.1"), Table().SourceFor(A("198.18.60.3"), A("198.18.60.2")));

    [Fact]
    public void SourceFor_BackendOnAnotherSubnet_NoSnat() =>
        Assert.Equal(0u, Table().SourceFor(A("198.18.60.3"), A("198.18.1.2")));

    [Fact]
    public void SourceFor_LocalClient_NoSnat() =>
        Assert.Equal(0u, Table().SourceFor(A("198.18.60.1"), A("198.18.60.2")));

    [Fact]
    public void SourceFor_NoTableYet_NoSnat() =>
        Assert.Equal(0u, new HairpinSnat().SourceFor(A("198.18.60.3"), A("198.18.60.2")));
}
