using Minuet.Native;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>Where the health monitor reads conntrack from: the event stream, and a full dump to resync after an overrun.</summary>
internal interface IConntrackEvents : IDisposable
{
    /// <summary>One datagram of events to <paramref name="handler"/>; ETIMEDOUT when none came, ENOBUFS when events were lost.</summary>
    NativeResult Receive<THandler>(int timeoutMilliseconds, ref THandler handler)
        where THandler : struct, IConntrackEventHandler;

    /// <summary>Every entry of the table now.</summary>
    NativeResult Dump(List<ConntrackEntryInfo> entries);
}
