using Minuet.Native.Interop;

namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>
/// One bound nfnetlink_queue in the calling thread's network namespace: receives queued packets and sends verdicts
/// on the same socket. Receiving and verdicts allocate nothing. Not thread-safe: one worker thread per queue.
/// </summary>
internal sealed class NfqueueClient : IDisposable
{
    private const ushort AfInet = 2;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _message = new byte[NfqueueMessages.MaxMessageSize];
    private readonly int _slotSize;
    private NetlinkDatagramBatch? _batch;
    private bool _bound;

    private NfqueueClient(NetlinkSocket socket, ushort queue, uint copyRange)
    {
        _socket = socket;
        Queue = queue;

        // A queued packet's message: headers and attributes (well under 512 bytes) plus the copied bytes.
        _slotSize = (int)Math.Min(copyRange, 65535u) + 512;
    }

    /// <summary>Most datagrams (one queued packet each) <see cref="ReceiveBatch"/> takes in one wake-up.</summary>
    public const int NfqueueBatchSize = 32;

    public ushort Queue { get; }

    /// <summary>True on kernels older than 3.8, where NFQNL_CFG_CMD_PF_BIND still does something.</summary>
    internal static bool NeedsProtocolFamilyBind => Environment.OSVersion.Version < new Version(3, 8);

    /// <summary>Messages that were not readable packets (counted, skipped).</summary>
    public long MalformedCount { get; private set; }

    /// <summary>Verdicts the kernel refused (reported back as NLMSG_ERROR on this socket).</summary>
    public long VerdictErrorCount { get; private set; }

    /// <summary>Times the socket overflowed (ENOBUFS): the kernel dropped queued packets meant for us.</summary>
    public long OverrunCount { get; private set; }

    /// <summary>
    /// Opens a socket, binds it to <paramref name="queue"/> (EPERM if another socket holds it), and sets copy mode
    /// PACKET with the copy range, queue length and fail-open flag from <paramref name="options"/>.
    /// </summary>
    public static NativeResult TryOpen(ushort queue, NfqueueOptions options, out NfqueueClient? client)
    {
        ArgumentNullException.ThrowIfNull(options);
        client = null;
        var opened = NetlinkSocket.TryOpen(Nfnetlink.NetlinkNetfilter, out var socket, 128 * 1024);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        socket!.SetReceiveBufferSize(options.ReceiveBufferBytes);
        var candidate = new NfqueueClient(socket, queue, options.CopyRange);

        // Kernels before 3.8 need the queue handler registered for the family (PF_UNBIND then PF_BIND, as
        // libnetfilter_queue's examples do); later kernels ignore both. Sent only where needed, because on those old
        // kernels PF_UNBIND briefly detaches every queue of the family, including other workers' queues.
        if (NeedsProtocolFamilyBind)
        {
            candidate.Command(NfqueueConstants.CmdPfUnbind, AfInet, "nfqueue pf unbind");
            candidate.Command(NfqueueConstants.CmdPfBind, AfInet, "nfqueue pf bind");
        }

        var bound = candidate.Command(NfqueueConstants.CmdBind, 0, "nfqueue bind");
        if (!bound.IsSuccess)
        {
            candidate.Dispose();
            return bound;
        }

        candidate._bound = true;
        var configured = candidate.Configure(options);
        if (!configured.IsSuccess)
        {
            candidate.Dispose();
            return configured;
        }

        client = candidate;
        return NativeResult.Success("nfqueue open");
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> for one datagram and hands every packet in it to
    /// <paramref name="handler"/>. ETIMEDOUT when nothing came (check for shutdown and call again); ENOBUFS when the
    /// kernel dropped packets for us (counted in <see cref="OverrunCount"/>; keep reading).
    /// </summary>
    public NativeResult Receive<THandler>(int timeoutMilliseconds, ref THandler handler)
        where THandler : struct, INfqueuePacketHandler
    {
        var received = _socket.Receive(timeoutMilliseconds, out var datagram, "nfqueue receive");
        if (!received.IsSuccess)
        {
            if (received.Errno == Errno.ENOBUFS)
            {
                OverrunCount++;
            }

            return received;
        }

        Deliver(datagram, ref handler);
        return received;
    }

    /// <summary>
    /// Like <see cref="Receive"/>, but after the wait takes every packet queued by then (up to the batch's capacity)
    /// with one recvmmsg, and hands them all to <paramref name="handler"/> in queue order: a burst of SYNs costs one
    /// wake-up. <see cref="NfqueueBatchSize"/> datagrams per call at most.
    /// </summary>
    public NativeResult ReceiveBatch<THandler>(int timeoutMilliseconds, ref THandler handler)
        where THandler : struct, INfqueuePacketHandler
    {
        var batch = _batch ??= new NetlinkDatagramBatch(NfqueueBatchSize, _slotSize);
        var received = batch.Receive(_socket, timeoutMilliseconds, "nfqueue receive batch");
        if (!received.IsSuccess)
        {
            if (received.Errno == Errno.ENOBUFS)
            {
                OverrunCount++;
            }

            return received;
        }

        for (int i = 0; i < batch.Count; i++)
        {
            var datagram = batch.Datagram(i);
            if (datagram.IsEmpty)
            {
                MalformedCount++;
                continue;
            }

            Deliver(datagram, ref handler);
        }

        return received;
    }

    private void Deliver<THandler>(ReadOnlySpan<byte> datagram, ref THandler handler)
        where THandler : struct, INfqueuePacketHandler
    {
        var reader = new NetlinkMessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (NfqueueParser.TryParse(message, out var packet) == NfqueueParseError.None)
            {
                handler.OnPacket(packet);
            }
            else if (message.IsError)
            {
                // Verdicts go without NLM_F_ACK, so an error here is a refused verdict (ENOENT: unknown packet id).
                if (message.TryGetError(out var errno) && errno != Errno.None)
                {
                    VerdictErrorCount++;
                }
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
    }

    /// <summary>Gives one packet its verdict (one send, no ACK awaited).</summary>
    public NativeResult SetVerdict(uint packetId, NfqueueVerdict verdict)
    {
        NfqueueMessages.TryBuildVerdict(_message, _socket.NextSequence(), Queue, packetId, verdict, out int length);
        return _socket.Send(_message.AsSpan(0, length), "nfqueue verdict");
    }

    /// <summary>Gives one packet its verdict and sets its mark (one send, no ACK awaited).</summary>
    public NativeResult SetVerdict(uint packetId, NfqueueVerdict verdict, uint mark)
    {
        NfqueueMessages.TryBuildVerdictWithMark(_message, _socket.NextSequence(), Queue, packetId, verdict, mark, out int length);
        return _socket.Send(_message.AsSpan(0, length), "nfqueue verdict");
    }

    /// <summary>Gives every queued packet with id up to <paramref name="highestPacketId"/> the same verdict.</summary>
    public NativeResult SetVerdictBatch(uint highestPacketId, NfqueueVerdict verdict)
    {
        NfqueueMessages.TryBuildVerdictBatch(_message, _socket.NextSequence(), Queue, highestPacketId, verdict, out int length);
        return _socket.Send(_message.AsSpan(0, length), "nfqueue verdict batch");
    }

    public void Dispose()
    {
        if (_bound)
        {
            // Best effort: closing the socket unbinds too; saying so first lets the kernel release the queue at once.
            Command(NfqueueConstants.CmdUnbind, 0, "nfqueue unbind");
            _bound = false;
        }

        _socket.Dispose();
    }

    private NativeResult Configure(NfqueueOptions options)
    {
        const string Operation = "nfqueue configure";
        uint sequence = _socket.NextSequence();
        uint flags = options.FailOpen ? NfqueueConstants.FlagFailOpen : 0;
        NfqueueMessages.TryBuildParameters(_message, sequence, Queue, NfqueueConstants.CopyPacket, options.CopyRange, options.MaxQueueLength, flags, NfqueueConstants.FlagFailOpen, out int length);
        return _socket.Request(_message.AsSpan(0, length), sequence, Operation, timeoutMilliseconds: 1000);
    }

    private NativeResult Command(byte command, ushort protocolFamily, string operation)
    {
        uint sequence = _socket.NextSequence();
        ushort queue = command is NfqueueConstants.CmdPfBind or NfqueueConstants.CmdPfUnbind ? (ushort)0 : Queue;
        NfqueueMessages.TryBuildCommand(_message, sequence, queue, command, protocolFamily, out int length);
        return _socket.Request(_message.AsSpan(0, length), sequence, operation, timeoutMilliseconds: 1000);
    }
}
