using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Minuet.DataPlane.Dns.Answers;
using Minuet.Native.Interop;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>
/// One UDP worker: a dedicated thread that takes up to <see cref="Batch"/> datagrams per recvmmsg call from its
/// own SO_REUSEPORT socket, answers them into preallocated native buffers and sends the replies with one sendmmsg.
/// Nothing is allocated per datagram; forwarded queries leave this loop and are answered by the forwarder.
/// </summary>
internal sealed unsafe class UdpBatchWorker : IDisposable
{
    public const int Batch = 32;

    /// <summary>Receive buffer per datagram: queries are small; larger ones arrive cut (MSG_TRUNC) and get FORMERR.</summary>
    public const int RxSize = 4096;

    public const int TxSize = DnsResponder.MaxUdpResponse;

    private const int AddrSize = 128; // sizeof(struct sockaddr_storage)
    private const int IovSize = 16;   // sizeof(struct iovec)

    private readonly DnsServer _server;
    private readonly Socket _socket;
    private readonly int _id;
    private readonly DnsMetrics _metrics;
    private readonly byte* _memory;
    private readonly mmsghdr* _rx;
    private readonly mmsghdr* _tx;
    private readonly byte* _rxData;
    private readonly byte* _txData;
    private readonly byte* _addrs;
    private readonly byte* _rxIov;
    private readonly byte* _txIov;
    private Thread? _thread;
    private volatile bool _stop;
    private uint _random;

    public UdpBatchWorker(DnsServer server, Socket socket, int id, DnsMetrics metrics)
    {
        _server = server;
        _socket = socket;
        _id = id;
        _metrics = metrics;
        _random = (uint)Environment.TickCount | 1u;
        nuint total = (nuint)(Batch * ((2 * sizeof(mmsghdr)) + RxSize + TxSize + AddrSize + (2 * IovSize)));
        _memory = (byte*)NativeMemory.AlignedAlloc(total, 64);
        NativeMemory.Clear(_memory, total);
        byte* p = _memory;
        _rx = (mmsghdr*)p; p += Batch * sizeof(mmsghdr);
        _tx = (mmsghdr*)p; p += Batch * sizeof(mmsghdr);
        _rxData = p; p += Batch * RxSize;
        _txData = p; p += Batch * TxSize;
        _addrs = p; p += Batch * AddrSize;
        _rxIov = p; p += Batch * IovSize;
        _txIov = p;
        for (int i = 0; i < Batch; i++)
        {
            SetIov(_rxIov, i, _rxData + (i * RxSize), RxSize);
            _rx[i].msg_iov = _rxIov + (i * IovSize);
            _rx[i].msg_iovlen = 1;
            _rx[i].msg_name = _addrs + (i * AddrSize);
            _tx[i].msg_iovlen = 1;
        }
    }

    /// <summary>Probes recvmmsg on a socket; ENOSYS or a missing libc export means the fallback loop must be used.</summary>
    public static bool IsSupported(out string error)
    {
        error = "";
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            error = "needs 64-bit Linux";
            return false;
        }

        try
        {
            var r = Interop.Recvmmsg(-1, null, 0, 0, null);
            var errno = ErrnoExtensions.LastError();
            if (r < 0 && errno == Errno.ENOSYS)
            {
                error = errno.Describe();
                return false;
            }

            return true;
        }
        catch (EntryPointNotFoundException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Runs the loop on a new thread. The task ends when the loop does, faulted with the exception if it crashed; the
    /// server's supervisor then calls <see cref="Start"/> again on the same socket and buffers.
    /// </summary>
    public Task Start()
    {
        _thread?.Join();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() =>
        {
            try
            {
                Run();
                done.TrySetResult();
            }
#pragma warning disable CA1031 // Handed to the supervisor, which logs, counts and restarts the worker.
            catch (Exception e)
#pragma warning restore CA1031
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = $"dns-udp-{_id}",
        };
        _thread.Start();
        return done.Task;
    }

    public void Stop() => _stop = true;

    public void Dispose()
    {
        _thread?.Join();
        NativeMemory.AlignedFree(_memory);
    }

    private void Run()
    {
        // A receive timeout lets the blocked recvmmsg return now and then to notice Stop().
        _socket.Blocking = true;
        _socket.ReceiveTimeout = 200;
        bool added = false;
        var handle = _socket.SafeHandle;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            while (!_stop)
            {
                for (int i = 0; i < Batch; i++)
                {
                    _rx[i].msg_namelen = AddrSize;
                    _rx[i].msg_flags = 0;
                }

                int n = Interop.Recvmmsg(fd, _rx, Batch, Interop.MSG_WAITFORONE, null);
                if (n <= 0)
                {
                    var errno = ErrnoExtensions.LastError();
                    if (n < 0 && errno is not (Errno.EAGAIN or Errno.EINTR))
                    {
                        if (errno == Errno.EBADF)
                        {
                            return;
                        }

                        _server.LogUdpReceiveFailed(_id, errno.Describe());
                        Thread.Sleep(10);
                    }

                    continue;
                }

                Process(fd, n);
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

    private void Process(int fd, int count)
    {
        _server.UdpFaultHook?.Invoke(_id);
        var index = _server.Index;
        bool forwarding = _server.ForwardingEnabled;
        int replies = 0;
        // One clock read per batch: every reply of the batch leaves with the one sendmmsg at the end, so each
        // query's latency is the batch's time from receive to send.
        long start = Stopwatch.GetTimestamp();
        Span<ushort> types = stackalloc ushort[Batch];
        Span<byte> rcodes = stackalloc byte[Batch];
        for (int i = 0; i < count; i++)
        {
            var query = new ReadOnlySpan<byte>(_rxData + (i * RxSize), (int)_rx[i].msg_len);
            var output = new Span<byte>(_txData + (i * TxSize), TxSize);
            _random = (_random * 1664525) + 1013904223;
            DnsResponse response;
            if ((_rx[i].msg_flags & Interop.MSG_TRUNC) != 0)
            {
                response = DnsResponder.RespondOversized(query, output, forwarding);
            }
            else
            {
                response = DnsResponder.Respond(index, query, output, tcp: false, forwarding, _random >> 8);
            }

            switch (response.Kind)
            {
                case DnsResponseKind.Reply:
                    ref var tx = ref _tx[replies];
                    tx.msg_name = _rx[i].msg_name;
                    tx.msg_namelen = _rx[i].msg_namelen;
                    SetIov(_txIov, replies, _txData + (i * TxSize), response.Length);
                    tx.msg_iov = _txIov + (replies * IovSize);
                    types[replies] = (ushort)response.QueryType;
                    rcodes[replies] = (byte)response.Rcode;
                    replies++;
                    break;
                case DnsResponseKind.Forward:
                    var client = new ReadOnlySpan<byte>(_rx[i].msg_name, (int)_rx[i].msg_namelen).ToArray();
                    _server.ForwardUdp(query.ToArray(), fd, _socket, client, _metrics, start);
                    break;
                default:
                    _metrics.RecordDropped();
                    break;
            }
        }

        Send(fd, _tx, replies);
        long elapsed = Stopwatch.GetTimestamp() - start;
        for (int i = 0; i < replies; i++)
        {
            _metrics.RecordQuery((Codec.DnsRecordType)types[i], (Codec.DnsRcode)rcodes[i], elapsed);
        }
    }

    internal static void Send(int fd, mmsghdr* messages, int count)
    {
        int sent = 0;
        while (sent < count)
        {
            int r = Interop.Sendmmsg(fd, messages + sent, (uint)(count - sent), 0);
            if (r < 0)
            {
                var errno = ErrnoExtensions.LastError();
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                // A reply the kernel refuses (e.g. EPERM from a firewall, EINVAL address) is lost, not retried.
                sent++;
                continue;
            }

            sent += r;
        }
    }

    private static void SetIov(byte* iovs, int i, byte* data, int length)
    {
        var iov = (nuint*)(iovs + (i * IovSize));
        iov[0] = (nuint)data;
        iov[1] = (nuint)length;
    }
}
