using System.Buffers;
using Minuet.Native.Interop;
using Minuet.Native.SafeHandles;

namespace Minuet.Native.Netlink;

/// <summary>
/// A bound netlink socket with a pooled receive buffer and its own sequence numbers. Every call returns a
/// <see cref="NativeResult"/>; ENOBUFS (the kernel dropped messages for us) and timeouts are values, not exceptions.
/// Not thread-safe: one owner thread per socket (a queue worker, an event reader, a request client).
/// </summary>
internal sealed partial class NetlinkSocket : IDisposable
{
    /// <summary>Large enough for any single datagram the netfilter subsystems send (dump parts are at most 32 KiB).</summary>
    public const int DefaultReceiveBufferSize = 64 * 1024;

    private readonly SafeDescriptorHandle _handle;
    private byte[] _receiveBuffer;
    private uint _sequence;

    private NetlinkSocket(SafeDescriptorHandle handle, uint portId, int receiveBufferSize)
    {
        _handle = handle;
        PortId = portId;
        _receiveBuffer = ArrayPool<byte>.Shared.Rent(receiveBufferSize);

        // Start from a time-derived value so replies meant for an earlier socket with the same port id never match.
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned at bind; messages the kernel sends us carry it.</summary>
    public uint PortId { get; }

    internal SafeDescriptorHandle Handle => _handle;

    /// <summary>Opens and binds a socket of a netlink protocol (<see cref="Nfnetlink.NetlinkNetfilter"/> for all clients here).</summary>
    public static unsafe NativeResult TryOpen(int protocol, out NetlinkSocket? socket, int receiveBufferSize = DefaultReceiveBufferSize)
    {
        const string Operation = "netlink open";
        socket = null;
        int fd = Interop.Interop.Socket(Interop.Interop.AF_NETLINK, Interop.Interop.SOCK_RAW | Interop.Interop.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            return NativeResult.FromLastError(Operation);
        }

        var handle = new SafeDescriptorHandle(fd);
        var address = new sockaddr_nl { nl_family = Interop.Interop.AF_NETLINK };
        if (Interop.Interop.Bind(handle, &address, sockaddr_nl.Size) != 0)
        {
            var failure = NativeResult.FromLastError("netlink bind");
            handle.Dispose();
            return failure;
        }

        uint length = sockaddr_nl.Size;
        if (Interop.Interop.GetSockName(handle, &address, &length) != 0)
        {
            var failure = NativeResult.FromLastError("netlink getsockname");
            handle.Dispose();
            return failure;
        }

        socket = new NetlinkSocket(handle, address.nl_pid, receiveBufferSize);

        // ACKs and errors then carry only the request's header, not the whole request: batches of ACKs fit the
        // receive buffer. Best effort: kernels before 4.3 lack it and work the same, only with bigger ACKs.
        socket.SetCapAck(true);
        return NativeResult.Success(Operation);
    }

    /// <summary>The next request sequence number; replies echo it.</summary>
    public uint NextSequence() => unchecked(++_sequence);

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers for a batch and returns the first.</summary>
    public uint ReserveSequences(int count)
    {
        uint first = unchecked(_sequence + 1);
        _sequence = unchecked(_sequence + (uint)count);
        return first;
    }

    public void Dispose()
    {
        _handle.Dispose();
        var buffer = Interlocked.Exchange(ref _receiveBuffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
