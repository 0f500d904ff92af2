using Minuet.Native.Interop;

namespace Minuet.Native.Netlink.Route;

/// <summary>
/// IPv4 route lookups and changes in the calling thread's network namespace over rtnetlink (NETLINK_ROUTE).
/// Administrative path (start, table changes, reconcile): not thread-safe, one owner at a time.
/// </summary>
internal sealed class RouteClient : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly byte[] _message = new byte[RouteMessages.MaxMessageSize];

    private RouteClient(NetlinkSocket socket)
    {
        _socket = socket;
    }

    public static NativeResult TryOpen(out RouteClient? client)
    {
        client = null;
        var opened = NetlinkSocket.TryOpen(RouteConstants.NetlinkRoute, out var socket);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        client = new RouteClient(socket!);
        return NativeResult.Success("route open");
    }

    /// <summary>The route the kernel would use to reach <paramref name="address"/>; ENETUNREACH (or EHOSTUNREACH) when none.</summary>
    public NativeResult Lookup(uint address, out RouteInfo route)
    {
        const string Operation = "route lookup";
        uint sequence = _socket.NextSequence();
        RouteMessages.TryBuildLookup(_message, sequence, address, out int length);
        var collector = new Collector(null);
        var result = _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref collector);
        route = collector.First;
        return result.IsSuccess && !collector.Found ? new NativeResult(Operation, Errno.EBADMSG) : result;
    }

    /// <summary>Every IPv4 route of every table (administrative: fills the list).</summary>
    public NativeResult Dump(List<RouteInfo> routes)
    {
        const string Operation = "route dump";
        uint sequence = _socket.NextSequence();
        RouteMessages.TryBuildDump(_message, sequence, out int length);
        var collector = new Collector(routes);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref collector);
    }

    /// <summary>Adds, or replaces in place, the main-table route to network/prefix through a device.</summary>
    public NativeResult Replace(uint network, byte prefixLength, uint outputInterface, uint preferredSource, byte protocol)
    {
        const string Operation = "route replace";
        uint sequence = _socket.NextSequence();
        RouteMessages.TryBuildReplace(_message, sequence, network, prefixLength, outputInterface, preferredSource, protocol, out int length);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation);
    }

    /// <summary>Deletes the main-table route to network/prefix of this protocol; ESRCH when there is none.</summary>
    public NativeResult Delete(uint network, byte prefixLength, byte protocol)
    {
        const string Operation = "route delete";
        uint sequence = _socket.NextSequence();
        RouteMessages.TryBuildDelete(_message, sequence, network, prefixLength, protocol, out int length);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation);
    }

    public void Dispose() => _socket.Dispose();

    private struct Collector(List<RouteInfo>? all) : INetlinkReplyHandler
    {
        public RouteInfo First;
        public bool Found;

        public bool OnMessage(in NetlinkMessage message)
        {
            if (!RouteMessages.TryParse(message, out var route))
            {
                return false;
            }

            if (!Found)
            {
                First = route;
                Found = true;
            }

            all?.Add(route);

            // A lookup answers with one message and no NLMSG_DONE: stop at it.
            return all is null;
        }
    }
}
