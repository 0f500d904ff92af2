using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Route;

namespace Minuet.Native.Tests.Netlink.Route;

public class RouteMessagesTests
{
    [Fact]
    public void TryBuildLookup_OneAddress_GoldenBytes()
    {
        var buffer = new byte[RouteMessages.MaxMessageSize];

        Assert.True(RouteMessages.TryBuildLookup(buffer, 7, 0xC6130001u, out int written));

        byte[] expected =
        [
            36, 0, 0, 0, 26, 0, 1, 0, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: len 36, RTM_GETROUTE, NLM_F_REQUEST, seq 7
            2, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // rtmsg: AF_INET, dst_len 32
            8, 0, 1, 0, 198, 19, 0, 1, // RTA_DST 198.19.0.1
        ];
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void TryBuildReplace_LoopbackWithSource_GoldenBytes()
    {
        var buffer = new byte[RouteMessages.MaxMessageSize];

        Assert.True(RouteMessages.TryBuildReplace(buffer, 9, 0xC6130000u, 16, 1, 0x7F000001u, 77, out int written));

        byte[] expected =
        [
            52, 0, 0, 0, 24, 0, 0x05, 0x05, 9, 0, 0, 0, 0, 0, 0, 0, // RTM_NEWROUTE, REQUEST|ACK|CREATE|REPLACE
            2, 16, 0, 0, 254, 77, 0, 1, 0, 0, 0, 0, // main table, proto 77, scope universe, unicast
            8, 0, 1, 0, 198, 19, 0, 0, // RTA_DST
            8, 0, 4, 0, 1, 0, 0, 0, // RTA_OIF 1 (host order)
            8, 0, 7, 0, 127, 0, 0, 1, // RTA_PREFSRC
        ];
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void TryParse_NewRouteReply_Fields()
    {
        byte[] reply =
        [
            52, 0, 0, 0, 24, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
            2, 16, 0, 0, 254, 77, 0, 1, 0, 0, 0, 0,
            8, 0, 1, 0, 198, 19, 0, 0,
            8, 0, 4, 0, 3, 0, 0, 0,
            8, 0, 7, 0, 198, 18, 1, 1,
        ];
        var reader = new NetlinkMessageReader(reply);
        Assert.True(reader.TryRead(out var message));

        Assert.True(RouteMessages.TryParse(message, out var route));

        Assert.Equal(new RouteInfo(0xC6130000u, 16, 254, 77, 0, 1, 3, 0xC6120101u, 0), route);
        Assert.True(route.Delivers);
    }
}
