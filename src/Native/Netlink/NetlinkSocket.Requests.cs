using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

internal sealed partial class NetlinkSocket
{
    /// <summary>Default time to wait for the kernel's answer to a request; the kernel answers in microseconds.</summary>
    public const int DefaultRequestTimeoutMilliseconds = 5000;

    /// <summary>
    /// Sends one request built with NLM_F_ACK and waits for the ACK or error carrying <paramref name="sequence"/>.
    /// Messages with other sequence numbers (late answers to earlier requests) are skipped.
    /// </summary>
    public NativeResult Request(ReadOnlySpan<byte> request, uint sequence, string operation, int timeoutMilliseconds = DefaultRequestTimeoutMilliseconds)
    {
        var handler = default(IgnoreReplies);
        return Request(request, sequence, operation, ref handler, timeoutMilliseconds);
    }

    /// <summary>
    /// Sends a request and hands every reply message to <paramref name="handler"/> until NLMSG_DONE or the final
    /// NLMSG_ERROR/ACK for <paramref name="sequence"/>; the result carries that errno.
    /// </summary>
    public NativeResult Request<THandler>(ReadOnlySpan<byte> request, uint sequence, string operation, ref THandler handler, int timeoutMilliseconds = DefaultRequestTimeoutMilliseconds)
        where THandler : struct, INetlinkReplyHandler
    {
        var sent = Send(request, operation);
        if (!sent.IsSuccess)
        {
            return sent;
        }

        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (true)
        {
            int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var received = Receive(remaining, out var datagram, operation);
            if (!received.IsSuccess)
            {
                return received;
            }

            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out var message))
            {
                if (message.Sequence != sequence)
                {
                    continue;
                }

                if (message.IsError)
                {
                    return message.TryGetError(out var errno) ? new NativeResult(operation, errno) : new NativeResult(operation, Errno.EBADMSG);
                }

                if (message.IsDone)
                {
                    return NativeResult.Success(operation);
                }

                if (handler.OnMessage(message))
                {
                    return NativeResult.Success(operation);
                }
            }

            if (reader.Error != NetlinkReadError.None)
            {
                return new NativeResult(operation, Errno.EBADMSG);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> requests (each with NLM_F_ACK, sequence numbers <paramref name="firstSequence"/>
    /// onwards) in one datagram and collects each one's errno into <paramref name="results"/>. The returned result
    /// fails only when the exchange itself failed; per-message errors are in <paramref name="results"/>.
    /// </summary>
    public NativeResult RequestBatch(ReadOnlySpan<byte> batch, uint firstSequence, int count, Span<Errno> results, string operation, int timeoutMilliseconds = DefaultRequestTimeoutMilliseconds)
    {
        if (results.Length < count)
        {
            return new NativeResult(operation, Errno.EINVAL);
        }

        var sent = Send(batch, operation);
        if (!sent.IsSuccess)
        {
            return sent;
        }

        int answered = 0;
        Span<bool> seen = count <= 256 ? stackalloc bool[count] : new bool[count];
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (answered < count)
        {
            int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
            var received = Receive(remaining, out var datagram, operation);
            if (!received.IsSuccess)
            {
                return received;
            }

            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out var message))
            {
                uint index = unchecked(message.Sequence - firstSequence);
                if (!message.IsError || index >= (uint)count || seen[(int)index])
                {
                    continue;
                }

                message.TryGetError(out var errno);
                results[(int)index] = errno;
                seen[(int)index] = true;
                answered++;
            }
        }

        return NativeResult.Success(operation);
    }

    private struct IgnoreReplies : INetlinkReplyHandler
    {
        public readonly bool OnMessage(in NetlinkMessage message) => false;
    }
}
