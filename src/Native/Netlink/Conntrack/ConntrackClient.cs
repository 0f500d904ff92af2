using Minuet.Native.Interop;

namespace Minuet.Native.Netlink.Conntrack;

/// <summary>
/// Creates, deletes and reads conntrack entries in the calling thread's network namespace over ctnetlink. The
/// create path allocates nothing: one message buffer per client, the socket's pooled receive buffer.
/// Not thread-safe: one client per worker thread.
/// </summary>
internal sealed class ConntrackClient : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly byte[] _message = new byte[ConntrackMessages.MaxMessageSize];

    private ConntrackClient(NetlinkSocket socket)
    {
        _socket = socket;
    }

    public static NativeResult TryOpen(out ConntrackClient? client)
    {
        client = null;
        var opened = NetlinkSocket.TryOpen(Nfnetlink.NetlinkNetfilter, out var socket, 64 * 1024);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        client = new ConntrackClient(socket!);
        return NativeResult.Success("conntrack open");
    }

    /// <summary>Creates the entry; EEXIST when an entry with either tuple exists (see <see cref="CreateReplacingStale"/>).</summary>
    public NativeResult Create(in ConntrackNatEntry entry)
    {
        const string Operation = "conntrack create";
        uint sequence = _socket.NextSequence();
        return ConntrackMessages.TryBuildCreateNat(_message, sequence, entry, out int length)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EMSGSIZE);
    }

    /// <summary>
    /// Creates the entry; on EEXIST deletes what is in the way and creates once more. A client reusing a source port
    /// while the previous flow sits in TIME_WAIT meets its stale entry (same original tuple); a backend already
    /// talking to that client port under another VIP holds the NATed reply tuple. Without this the SYN would
    /// leave un-NATed and hang.
    /// </summary>
    public NativeResult CreateReplacingStale(in ConntrackNatEntry entry)
    {
        var created = Create(entry);
        if (created.Errno != Errno.EEXIST)
        {
            return created;
        }

        Delete(entry.Original);
        created = Create(entry);
        if (created.Errno != Errno.EEXIST)
        {
            return created;
        }

        var natedReply = new ConntrackTuple(entry.NatAddress, entry.Original.SourceAddress, entry.NatPort, entry.Original.SourcePort, entry.Original.Protocol);
        Delete(natedReply, byReplyTuple: true);
        return Create(entry);
    }

    /// <summary>Deletes the entry with this original (or, with <paramref name="byReplyTuple"/>, reply) tuple; ENOENT when absent.</summary>
    public NativeResult Delete(in ConntrackTuple tuple, bool byReplyTuple = false)
    {
        const string Operation = "conntrack delete";
        uint sequence = _socket.NextSequence();
        return ConntrackMessages.TryBuildDelete(_message, sequence, tuple, out int length, byReplyTuple)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EMSGSIZE);
    }

    /// <summary>Reads the entry with this original tuple; ENOENT when absent.</summary>
    public NativeResult Get(in ConntrackTuple original, out ConntrackEntryInfo entry)
    {
        const string Operation = "conntrack get";
        entry = default;
        uint sequence = _socket.NextSequence();
        if (!ConntrackMessages.TryBuildGet(_message, sequence, original, out int length))
        {
            return new NativeResult(Operation, Errno.EMSGSIZE);
        }

        var collector = new SingleEntry();
        var result = _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref collector);
        entry = collector.Entry;
        return result.IsSuccess && !collector.Found ? new NativeResult(Operation, Errno.EBADMSG) : result;
    }

    /// <summary>Every IPv4 entry of the namespace (administrative path: allocates the list).</summary>
    public NativeResult Dump(List<ConntrackEntryInfo> entries)
    {
        const string Operation = "conntrack dump";
        uint sequence = _socket.NextSequence();
        ConntrackMessages.TryBuildDump(_message, sequence, out int length);
        var collector = new AllEntries(entries);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref collector);
    }

    /// <summary>Deletes every IPv4 entry of the caller's namespace (benchmarks flush between runs).</summary>
    public NativeResult Flush()
    {
        const string Operation = "conntrack flush";
        uint sequence = _socket.NextSequence();
        ConntrackMessages.TryBuildFlush(_message, sequence, out int length);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation);
    }

    public void Dispose() => _socket.Dispose();

    private struct SingleEntry : INetlinkReplyHandler
    {
        public ConntrackEntryInfo Entry;
        public bool Found;

        public bool OnMessage(in NetlinkMessage message)
        {
            Found = ConntrackParser.TryParse(message, out Entry, isEvent: false) == ConntrackParseError.None;
            return false;
        }
    }

    private readonly struct AllEntries(List<ConntrackEntryInfo> entries) : INetlinkReplyHandler
    {
        public bool OnMessage(in NetlinkMessage message)
        {
            if (ConntrackParser.TryParse(message, out var entry, isEvent: false) == ConntrackParseError.None)
            {
                entries.Add(entry);
            }

            return false;
        }
    }
}
