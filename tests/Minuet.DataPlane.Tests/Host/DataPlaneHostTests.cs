using System.Net;
using Minuet.DataPlane.Host;

namespace Minuet.DataPlane.Tests.Host;

public class DataPlaneHostTests
{
    [Fact]
    public void ListenerAddresses_SpecificAddress_IsThatAddress()
    {
        Assert.Equal([IPAddress.Loopback], DataPlaneHost.ListenerAddresses(IPAddress.Loopback));
        Assert.Equal([IPAddress.Parse("198.18.0.9")], DataPlaneHost.ListenerAddresses(IPAddress.Parse("198.18.0.9")));
    }

    [Fact]
    public void ListenerAddresses_Wildcard_IsEveryNonLoopbackAddress()
    {
        var addresses = DataPlaneHost.ListenerAddresses(IPAddress.Any);
        Assert.DoesNotContain(addresses, IPAddress.IsLoopback);
        Assert.DoesNotContain(addresses, a => a.IsIPv6LinkLocal);
    }
}
