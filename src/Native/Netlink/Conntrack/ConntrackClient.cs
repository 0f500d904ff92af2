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
    /// <summary>Most creates one <see cref="CreateBatch"/> call sends in one datagram.</summary>
    public const int MaxBatch = 64;

    private readonly byte[] _message = new byte[ConntrackMessages.MaxMessageSize];
    private byte[]? _batch;

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

        uint replyDestination = entry.SourceNatAddress != 0 ? entry.SourceNatAddress : entry.Original.SourceAddress;
        var natedReply = new ConntrackTuple(entry.NatAddress, replyDestination, entry.NatPort, entry.Original.SourcePort, entry.Original.Protocol);
        Delete(natedReply, byReplyTuple: true);
        return Create(entry);
    }

    /// <summary>
    /// Creates up to <see cref="MaxBatch"/> entries with one send and one wait for their ACKs (the SYNs of one
    /// NFQUEUE datagram, for example). Each entry's errno goes to <paramref name="results"/>; the returned result
    /// fails only when the exchange itself failed. Callers handle EEXIST per entry (delete, then create again).
    /// </summary>
    public NativeResult CreateBatch(ReadOnlySpan<ConntrackNatEntry> entries, Span<Errno> results)
    {
        const string Operation = "conntrack create batch";
        var built = BuildCreates(entries, results, acknowledge: true, Operation, out var batch, out uint first);
        return !built.IsSuccess || entries.IsEmpty ? built : _socket.RequestBatch(batch, first, entries.Length, results, Operation);
    }

    /// <summary>
    /// Creates up to <see cref="MaxBatch"/> entries with one send and no ACK wait: each message goes without
    /// NLM_F_ACK, so the kernel answers only the ones that fail. This relies on how the kernel handles a message
    /// to a netlink kernel socket: netlink_sendmsg → netlink_unicast_kernel → nfnetlink_rcv → netlink_rcv_skb runs
    /// every message of the datagram in the sender's own send call, inserting each entry into the table and queueing
    /// an NLMSG_ERROR on this socket for each failure (netlink_rcv_skb acks "if NLM_F_ACK or err"). So when the send
    /// returns, every created entry is already in the table (a verdict sent after it is processed after them), and
    /// every failure is already readable: one non-blocking read drains them, and EAGAIN means all succeeded.
    /// Each entry's errno goes to <paramref name="results"/> (None: created). ENOBUFS from the drain means failure
    /// reports were lost (the socket's buffer overflowed): the results are then unknown, and the caller must find
    /// out per entry (creating it again with an ACK meets EEXIST for the ones that were created).
    /// </summary>
    public NativeResult CreateBatchUnacknowledged(ReadOnlySpan<ConntrackNatEntry> entries, Span<Errno> results)
    {
        const string Operation = "conntrack create batch (no ack)";
        var built = BuildCreates(entries, results, acknowledge: false, Operation, out var batch, out uint first);
        if (!built.IsSuccess || entries.IsEmpty)
        {
            return built;
        }

        results[..entries.Length].Clear();
        var sent = _socket.Send(batch, Operation);
        if (!sent.IsSuccess)
        {
            return sent;
        }

        while (true)
        {
            var received = _socket.ReceiveNow(out var datagram, Operation);
            if (!received.IsSuccess)
            {
                return received.Errno == Errno.EAGAIN ? NativeResult.Success(Operation) : received;
            }

            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out var message))
            {
                uint index = unchecked(message.Sequence - first);
                if (message.IsError && index < (uint)entries.Length && message.TryGetError(out var errno))
                {
                    results[(int)index] = errno;
                }
            }
        }
    }

    /// <summary>
    /// Checks a batch's sizes and writes its create messages (consecutive sequence numbers from <paramref name="first"/>)
    /// into the client's reused batch buffer; <paramref name="batch"/> is empty when there is nothing to send.
    /// </summary>
    private NativeResult BuildCreates(ReadOnlySpan<ConntrackNatEntry> entries, Span<Errno> results, bool acknowledge, string operation, out ReadOnlySpan<byte> batch, out uint first)
    {
        batch = default;
        first = 0;
        if (entries.Length > MaxBatch || results.Length < entries.Length)
        {
            return new NativeResult(operation, Errno.EINVAL);
        }

        if (entries.IsEmpty)
        {
            return NativeResult.Success(operation);
        }

        var buffer = _batch ??= new byte[MaxBatch * ConntrackMessages.MaxMessageSize];
        first = _socket.ReserveSequences(entries.Length);
        int offset = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            if (!ConntrackMessages.TryBuildCreateNat(buffer.AsSpan(offset), unchecked(first + (uint)i), entries[i], out int length, acknowledge))
            {
                return new NativeResult(operation, Errno.EMSGSIZE);
            }

            offset += length;
        }

        batch = buffer.AsSpan(0, offset);
        return NativeResult.Success(operation);
    }

    /// <summary>
    /// Sets the socket's kernel receive buffer: failure reports of <see cref="CreateBatchUnacknowledged"/> wait there
    /// until drained, and a full buffer loses them (ENOBUFS).
    /// </summary>
    public NativeResult SetReceiveBufferSize(int bytes) => _socket.SetReceiveBufferSize(bytes);

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
