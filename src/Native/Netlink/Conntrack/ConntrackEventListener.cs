using Minuet.Native.Interop;

namespace Minuet.Native.Netlink.Conntrack;

/// <summary>
/// Subscribes to conntrack NEW/UPDATE/DESTROY events of the calling thread's network namespace and parses them.
/// ENOBUFS (the kernel dropped events because we were slow) comes back as a result value: count it and go on.
/// </summary>
internal sealed class ConntrackEventListener : IDisposable
{
    /// <summary>Event storms on a busy host outrun the default 208 KiB buffer quickly.</summary>
    public const int DefaultReceiveBufferBytes = 8 * 1024 * 1024;

    private readonly NetlinkSocket _socket;

    private ConntrackEventListener(NetlinkSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Messages that were not readable conntrack entries (counted, skipped).</summary>
    public long MalformedCount { get; private set; }

    /// <summary>Times the kernel reported dropped events (ENOBUFS) to this listener.</summary>
    public long OverrunCount { get; private set; }

    public static NativeResult TryOpen(ConntrackEventGroups groups, out ConntrackEventListener? listener, int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        listener = null;
        var opened = NetlinkSocket.TryOpen(Nfnetlink.NetlinkNetfilter, out var socket);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        socket!.SetReceiveBufferSize(receiveBufferBytes);
        ReadOnlySpan<(ConntrackEventGroups Flag, uint Group)> map =
        [
            (ConntrackEventGroups.New, Nfnetlink.GroupConntrackNew),
            (ConntrackEventGroups.Update, Nfnetlink.GroupConntrackUpdate),
            (ConntrackEventGroups.Destroy, Nfnetlink.GroupConntrackDestroy),
        ];
        foreach (var (flag, group) in map)
        {
            if ((groups & flag) == 0)
            {
                continue;
            }

            var joined = socket.JoinGroup(group);
            if (!joined.IsSuccess)
            {
                socket.Dispose();
                return joined;
            }
        }

        listener = new ConntrackEventListener(socket);
        return NativeResult.Success("conntrack events open");
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for one datagram of events and hands each parsed event to
    /// <paramref name="handler"/>. ETIMEDOUT when nothing came; ENOBUFS when events were lost.
    /// </summary>
    public NativeResult Receive<THandler>(int timeoutMilliseconds, ref THandler handler)
        where THandler : struct, IConntrackEventHandler
    {
        var received = _socket.Receive(timeoutMilliseconds, out var datagram, "conntrack events");
        if (!received.IsSuccess)
        {
            if (received.Errno == Errno.ENOBUFS)
            {
                OverrunCount++;
            }

            return received;
        }

        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (ConntrackParser.TryParse(message, out var entry) == ConntrackParseError.None)
            {
                handler.OnEvent(entry);
            }
            else
            {
                MalformedCount++;
            }
        }

        if (reader.Error != NetlinkReadError.None)
        {
            MalformedCount++;
        }

        return received;
    }

    public void Dispose() => _socket.Dispose();
}
