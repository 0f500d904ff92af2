using Minuet.Native.Interop;
using Minuet.Native.Netlink.Route;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Netlink.Route;

public class RouteClientNetnsTests
{
    [NetnsFact]
    public void LookupReplaceDumpDelete_LoopbackOnlyNamespace_RouteLifecycle()
    {
        using var ns = NetnsScope.Create();

        var (before, after, afterRoute, ours, deleted, gone) = ns.Run(() =>
        {
            RouteClient.TryOpen(out var client);
            using (client)
            {
                var before = client!.Lookup(0xC6130001u, out _);
                var replaced = client.Replace(0xC6130000u, 16, RouteConstants.LoopbackIndex, 0x7F000001u, 77);
                Assert.True(replaced.IsSuccess, replaced.ToString());
                var after = client.Lookup(0xC6130001u, out var afterRoute);
                var all = new List<RouteInfo>();
                Assert.True(client.Dump(all).IsSuccess);
                var deleted = client.Delete(0xC6130000u, 16, 77);
                var gone = client.Lookup(0xC6130001u, out _);
                return (before, after, afterRoute, all.Where(r => r.Protocol == 77).ToList(), deleted, gone);
            }
        });

        Assert.Equal(Errno.ENETUNREACH, before.Errno);
        Assert.True(after.IsSuccess, after.ToString());
        Assert.Equal(0x7F000001u, afterRoute.PreferredSource);
        Assert.Equal(RouteConstants.LoopbackIndex, afterRoute.OutputInterface);
        var route = Assert.Single(ours);
        Assert.Equal((0xC6130000u, (byte)16, 254u), (route.Destination, route.PrefixLength, route.Table));
        Assert.True(deleted.IsSuccess, deleted.ToString());
        Assert.Equal(Errno.ENETUNREACH, gone.Errno);
    }
}
