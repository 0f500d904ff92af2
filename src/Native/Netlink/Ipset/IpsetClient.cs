using Minuet.Native.Interop;

namespace Minuet.Native.Netlink.Ipset;

/// <summary>
/// Talks to the kernel's ipset subsystem over its own netlink socket: create/destroy/flush/swap sets, add/delete/test
/// members (one at a time or batched in one datagram), list members. Errors come back as values naming the operation.
/// Not thread-safe: one owner.
/// </summary>
internal sealed class IpsetClient : IDisposable
{
    public const string HashIpPort = "hash:ip,port";

    private readonly NetlinkSocket _socket;
    private readonly byte[] _message = new byte[IpsetMessages.MaxMessageSize];

    private IpsetClient(NetlinkSocket socket, byte protocol)
    {
        _socket = socket;
        Protocol = protocol;
    }

    /// <summary>The protocol version agreed with the kernel (7 on current kernels, 6 on old ones).</summary>
    public byte Protocol { get; }

    /// <summary>Opens a socket in the calling thread's network namespace and agrees a protocol version with the kernel.</summary>
    public static NativeResult TryOpen(out IpsetClient? client)
    {
        client = null;
        var opened = NetlinkSocket.TryOpen(Nfnetlink.NetlinkNetfilter, out var socket, 256 * 1024);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        var probe = new ProtocolProbe();
        Span<byte> buffer = stackalloc byte[64];
        uint sequence = socket!.NextSequence();
        IpsetMessages.TryBuildProtocol(buffer, sequence, out int length);

        // The PROTOCOL request carries no NLM_F_ACK (as the tool sends it): its one reply message ends the exchange.
        var result = socket.Request(buffer[..length], sequence, "ipset protocol", ref probe, timeoutMilliseconds: 1000);
        if (probe.Protocol == 0)
        {
            socket.Dispose();
            return result.IsSuccess ? new NativeResult("ipset protocol", Errno.EPROTO) : result;
        }

        byte protocol = Math.Min(probe.Protocol, IpsetAttributes.ProtocolVersion);
        if (protocol < IpsetAttributes.ProtocolVersionMin)
        {
            socket.Dispose();
            return new NativeResult("ipset protocol", Errno.EPROTONOSUPPORT);
        }

        // Batched requests get one ACK each; room for them avoids ENOBUFS (best effort: SO_RCVBUF fallback caps it).
        socket.SetReceiveBufferSize(1024 * 1024);
        client = new IpsetClient(socket, protocol);
        return NativeResult.Success("ipset open");
    }

    /// <summary>The newest revision of a set type this kernel has (hash:ip,port is 7 on 5.11+), or an error.</summary>
    public NativeResult GetTypeRevision(string typeName, out byte revision)
    {
        const string Operation = "ipset type";
        revision = 0;
        uint sequence = _socket.NextSequence();
        if (!ValidName(typeName) || !IpsetMessages.TryBuildType(_message, sequence, Protocol, typeName, out int length))
        {
            return new NativeResult(Operation, Errno.EINVAL);
        }

        var probe = new TypeProbe();
        var result = _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref probe, timeoutMilliseconds: 1000);
        revision = probe.Revision;
        return probe.Found ? NativeResult.Success(Operation) : result.IsSuccess ? new NativeResult(Operation, Errno.EPROTO) : result;
    }

    /// <summary>Creates a hash:ip,port inet set at the newest revision the kernel has; EEXIST if it exists.</summary>
    public NativeResult CreateHashIpPort(string setName, uint hashSize = 0, uint maxElements = 0)
    {
        const string Operation = "ipset create";
        var type = GetTypeRevision(HashIpPort, out byte revision);
        if (!type.IsSuccess)
        {
            return type;
        }

        uint sequence = _socket.NextSequence();
        return Build(IpsetMessages.TryBuildCreate(_message, sequence, Protocol, setName, HashIpPort, revision, hashSize, maxElements, out int length), setName)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EINVAL);
    }

    public NativeResult Destroy(string setName) =>
        Named(setName, "ipset destroy", static (buffer, seq, protocol, name) => (IpsetMessages.TryBuildDestroy(buffer, seq, protocol, name, out int n), n));

    public NativeResult Flush(string setName) =>
        Named(setName, "ipset flush", static (buffer, seq, protocol, name) => (IpsetMessages.TryBuildFlush(buffer, seq, protocol, name, out int n), n));

    public NativeResult Swap(string setName, string otherSetName)
    {
        const string Operation = "ipset swap";
        uint sequence = _socket.NextSequence();
        return ValidName(otherSetName) && Build(IpsetMessages.TryBuildSwap(_message, sequence, Protocol, setName, otherSetName, out int length), setName)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EINVAL);
    }

    /// <summary>Adds one member; with <paramref name="exclusive"/> false an existing member is not an error.</summary>
    public NativeResult Add(string setName, IpsetEntry entry, bool exclusive = false)
    {
        const string Operation = "ipset add";
        uint sequence = _socket.NextSequence();
        return Build(IpsetMessages.TryBuildAdd(_message, sequence, Protocol, setName, entry, exclusive, out int length), setName)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EINVAL);
    }

    /// <summary>Deletes one member; with <paramref name="exclusive"/> false a missing member is not an error.</summary>
    public NativeResult Delete(string setName, IpsetEntry entry, bool exclusive = false)
    {
        const string Operation = "ipset del";
        uint sequence = _socket.NextSequence();
        return Build(IpsetMessages.TryBuildDel(_message, sequence, Protocol, setName, entry, exclusive, out int length), setName)
            ? _socket.Request(_message.AsSpan(0, length), sequence, Operation)
            : new NativeResult(Operation, Errno.EINVAL);
    }

    /// <summary>True in <paramref name="present"/> when the member is in the set.</summary>
    public NativeResult Test(string setName, IpsetEntry entry, out bool present)
    {
        const string Operation = "ipset test";
        present = false;
        uint sequence = _socket.NextSequence();
        if (!Build(IpsetMessages.TryBuildTest(_message, sequence, Protocol, setName, entry, out int length), setName))
        {
            return new NativeResult(Operation, Errno.EINVAL);
        }

        var result = _socket.Request(_message.AsSpan(0, length), sequence, Operation);
        if (result.Errno == Errno.IPSET_ERR_EXIST)
        {
            return NativeResult.Success(Operation);
        }

        present = result.IsSuccess;
        return result;
    }

    /// <summary>
    /// Adds (or deletes) many members with as few datagrams as fit in a 64 KiB batch each; the per-member errno
    /// goes to <paramref name="results"/> (same length as <paramref name="entries"/>). Non-exclusive, so re-adding
    /// or deleting what is already gone succeeds: what a delta reconcile wants.
    /// </summary>
    public NativeResult AddOrDeleteMany(string setName, ReadOnlySpan<IpsetEntry> entries, bool add, Span<Errno> results)
    {
        string operation = add ? "ipset add batch" : "ipset del batch";
        if (!ValidName(setName) || results.Length < entries.Length)
        {
            return new NativeResult(operation, Errno.EINVAL);
        }

        // 80 bytes per request and one ACK skb (~1 KiB of receive-buffer truesize) per answer: 128 per round trip
        // stays far below the receive buffer, so no ACK is dropped with ENOBUFS.
        const int PerBatch = 128;
        var batch = System.Buffers.ArrayPool<byte>.Shared.Rent(PerBatch * IpsetMessages.MaxMessageSize);
        try
        {
            for (int start = 0; start < entries.Length; start += PerBatch)
            {
                int count = Math.Min(PerBatch, entries.Length - start);
                uint first = _socket.ReserveSequences(count);
                int offset = 0;
                for (int i = 0; i < count; i++)
                {
                    var destination = batch.AsSpan(offset);
                    uint sequence = unchecked(first + (uint)i);
                    bool built = add
                        ? IpsetMessages.TryBuildAdd(destination, sequence, Protocol, setName, entries[start + i], exclusive: false, out int length)
                        : IpsetMessages.TryBuildDel(destination, sequence, Protocol, setName, entries[start + i], exclusive: false, out length);
                    if (!built)
                    {
                        return new NativeResult(operation, Errno.EMSGSIZE);
                    }

                    offset += length;
                }

                var result = _socket.RequestBatch(batch.AsSpan(0, offset), first, count, results.Slice(start, count), operation);
                if (!result.IsSuccess)
                {
                    return result;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(batch);
        }

        foreach (var errno in results[..entries.Length])
        {
            if (errno != Errno.None)
            {
                return new NativeResult(operation, errno);
            }
        }

        return NativeResult.Success(operation);
    }

    /// <summary>Lists the members of a set (administrative path: allocates the list).</summary>
    public NativeResult List(string setName, List<IpsetEntry> members)
    {
        const string Operation = "ipset list";
        uint sequence = _socket.NextSequence();
        if (!Build(IpsetMessages.TryBuildList(_message, sequence, Protocol, setName, out int length), setName))
        {
            return new NativeResult(Operation, Errno.EINVAL);
        }

        var collector = new ListCollector(members);
        var result = _socket.Request(_message.AsSpan(0, length), sequence, Operation, ref collector);
        return result.IsSuccess && collector.Malformed ? new NativeResult(Operation, Errno.EBADMSG) : result;
    }

    public void Dispose() => _socket.Dispose();

    private NativeResult Named(string setName, string operation, Func<Span<byte>, uint, byte, string, (bool Built, int Length)> build)
    {
        uint sequence = _socket.NextSequence();
        var (built, length) = build(_message, sequence, Protocol, setName);
        return Build(built, setName)
            ? _socket.Request(_message.AsSpan(0, length), sequence, operation)
            : new NativeResult(operation, Errno.EINVAL);
    }

    private static bool Build(bool built, string setName) => built && ValidName(setName);

    /// <summary>Set and type names: 1-31 printable ASCII characters, as IPSET_MAXNAMELEN allows.</summary>
    public static bool ValidName(string name)
    {
        if (name.Length is 0 or > IpsetAttributes.MaxNameLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private struct ProtocolProbe : INetlinkReplyHandler
    {
        public byte Protocol;

        public bool OnMessage(in NetlinkMessage message)
        {
            if (IpsetReplies.TryParseProtocol(message, out byte protocol, out _))
            {
                Protocol = protocol;
            }

            return true;
        }
    }

    private struct TypeProbe : INetlinkReplyHandler
    {
        public byte Revision;
        public bool Found;

        public bool OnMessage(in NetlinkMessage message)
        {
            Found = IpsetReplies.TryParseType(message, out Revision, out _);
            return true;
        }
    }

    private struct ListCollector(List<IpsetEntry> members) : INetlinkReplyHandler
    {
        public bool Malformed;

        public bool OnMessage(in NetlinkMessage message)
        {
            if (!IpsetReplies.TryParseListMembers(message, members))
            {
                Malformed = true;
            }

            return false;
        }
    }
}
