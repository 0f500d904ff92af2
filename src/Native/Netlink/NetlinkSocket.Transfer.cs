using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

internal sealed partial class NetlinkSocket
{
    /// <summary>Sends one buffer (one message or a batch of messages) to the kernel in a single datagram.</summary>
    public unsafe NativeResult Send(ReadOnlySpan<byte> messages, string operation = "netlink send")
    {
        fixed (byte* data = messages)
        {
            while (true)
            {
                nint sent = Interop.Interop.Send(_handle, data, (nuint)messages.Length, 0);
                if (sent >= 0)
                {
                    return sent == messages.Length ? NativeResult.Success(operation) : new NativeResult(operation, Errno.EMSGSIZE);
                }

                var errno = ErrnoExtensions.LastError();
                if (errno != Errno.EINTR)
                {
                    return new NativeResult(operation, errno);
                }
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (-1: forever, 0: poll) and receives one datagram into the
    /// socket's pooled buffer. The span stays valid until the next receive. ETIMEDOUT when nothing came, ENOBUFS
    /// when the kernel dropped messages for this socket (the socket stays usable), EMSGSIZE when a datagram
    /// was larger than the buffer.
    /// </summary>
    public NativeResult Receive(int timeoutMilliseconds, out ReadOnlySpan<byte> datagram, string operation = "netlink receive")
    {
        datagram = default;
        if (timeoutMilliseconds >= 0)
        {
            var wait = WaitReadable(timeoutMilliseconds, operation);
            if (!wait.IsSuccess)
            {
                return wait;
            }
        }

        return ReceiveInto(Interop.Interop.MSG_TRUNC, out datagram, operation);
    }

    /// <summary>
    /// Receives one datagram if one is queued right now (one recv with MSG_DONTWAIT, no poll): EAGAIN when none is.
    /// The span stays valid until the next receive.
    /// </summary>
    public NativeResult ReceiveNow(out ReadOnlySpan<byte> datagram, string operation = "netlink receive") =>
        ReceiveInto(Interop.Interop.MSG_TRUNC | Interop.Interop.MSG_DONTWAIT, out datagram, operation);

    /// <summary>One recv into the pooled buffer (retried on EINTR); MSG_TRUNC makes a datagram larger than the buffer an EMSGSIZE, not a silent cut.</summary>
    private unsafe NativeResult ReceiveInto(int flags, out ReadOnlySpan<byte> datagram, string operation)
    {
        datagram = default;
        var buffer = _receiveBuffer;
        fixed (byte* data = buffer)
        {
            while (true)
            {
                nint received = Interop.Interop.Recv(_handle, data, (nuint)buffer.Length, flags);
                if (received >= 0)
                {
                    if (received > buffer.Length)
                    {
                        return new NativeResult(operation, Errno.EMSGSIZE);
                    }

                    datagram = buffer.AsSpan(0, (int)received);
                    return NativeResult.Success(operation);
                }

                var errno = ErrnoExtensions.LastError();
                if (errno != Errno.EINTR)
                {
                    return new NativeResult(operation, errno);
                }
            }
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> until a datagram can be read; ETIMEDOUT when none came.</summary>
    public NativeResult WaitForDatagram(int timeoutMilliseconds, string operation = "netlink wait") => WaitReadable(timeoutMilliseconds, operation);

    private unsafe NativeResult WaitReadable(int timeoutMilliseconds, string operation)
    {
        var fd = new pollfd { fd = _handle.Fd, events = Interop.Interop.POLLIN };
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (true)
        {
            int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            int rc = Interop.Interop.Poll(&fd, 1, remaining);
            if (rc > 0)
            {
                return NativeResult.Success(operation);
            }

            if (rc == 0)
            {
                return new NativeResult(operation, Errno.ETIMEDOUT);
            }

            var errno = ErrnoExtensions.LastError();
            if (errno != Errno.EINTR)
            {
                return new NativeResult(operation, errno);
            }
        }
    }
}
