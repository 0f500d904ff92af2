using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

/// <summary>
/// Receives every datagram queued on a netlink socket with one recvmmsg (after one poll for the first), into fixed
/// native slots. A queue reader woken for one packet then takes all the packets queued meanwhile in the same
/// wake-up, so a burst costs one poll and one recvmmsg instead of a poll and a recv per packet. Allocates nothing
/// after construction; one owner thread. The slots are pinned managed arrays rather than native memory, so a reader
/// thread still inside recvmmsg while its owner is disposed can never write into freed memory.
/// </summary>
internal sealed unsafe class NetlinkDatagramBatch
{
    private readonly int _slotSize;
    private readonly mmsghdr[] _headerArray;
    private readonly iovec[] _iovecArray;
    private readonly byte[] _dataArray;
    private readonly mmsghdr* _headers;
    private readonly byte* _data;

    public NetlinkDatagramBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 64);
        Capacity = capacity;
        _slotSize = slotSize;
        _headerArray = GC.AllocateArray<mmsghdr>(capacity, pinned: true);
        _iovecArray = GC.AllocateArray<iovec>(capacity, pinned: true);
        _dataArray = GC.AllocateUninitializedArray<byte>(capacity * slotSize, pinned: true);
        _headers = (mmsghdr*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_headerArray));
        var iovecs = (iovec*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_iovecArray));
        _data = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_dataArray));
        for (int i = 0; i < capacity; i++)
        {
            iovecs[i].iov_base = _data + ((nint)i * slotSize);
            iovecs[i].iov_len = (nuint)slotSize;
            _headers[i].msg_iov = iovecs + i;
            _headers[i].msg_iovlen = 1;
        }
    }

    public int Capacity { get; }

    /// <summary>Datagrams the last <see cref="Receive"/> took.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for a datagram, then takes up to <see cref="Capacity"/> queued
    /// ones without waiting again. ETIMEDOUT when nothing came; ENOBUFS when the kernel dropped datagrams for this
    /// socket (the socket stays usable: call again).
    /// </summary>
    public NativeResult Receive(NetlinkSocket socket, int timeoutMilliseconds, string operation = "netlink receive batch")
    {
        ArgumentNullException.ThrowIfNull(socket);
        Count = 0;
        var wait = socket.WaitForDatagram(timeoutMilliseconds, operation);
        if (!wait.IsSuccess)
        {
            return wait;
        }

        for (int i = 0; i < Capacity; i++)
        {
            _headers[i].msg_flags = 0;
            _headers[i].msg_len = 0;
        }

        bool added = false;
        var handle = socket.Handle;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            while (true)
            {
                int n = Interop.Interop.Recvmmsg(fd, _headers, (uint)Capacity, Interop.Interop.MSG_DONTWAIT, null);
                if (n >= 0)
                {
                    Count = n;
                    return NativeResult.Success(operation);
                }

                var errno = ErrnoExtensions.LastError();
                if (errno != Errno.EINTR)
                {
                    return new NativeResult(operation, errno == Errno.EAGAIN ? Errno.ETIMEDOUT : errno);
                }
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the last receive; empty when it did not fit its slot (truncated).</summary>
    public ReadOnlySpan<byte> Datagram(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        var header = _headers[index];
        return (header.msg_flags & Interop.Interop.MSG_TRUNC) != 0
            ? default
            : new ReadOnlySpan<byte>(_data + ((nint)index * _slotSize), (int)header.msg_len);
    }
}
