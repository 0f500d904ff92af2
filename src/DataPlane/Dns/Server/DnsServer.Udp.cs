using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.Native.Interop;

namespace Minuet.DataPlane.Dns.Server;

internal sealed partial class DnsServer
{
    internal bool ForwardingEnabled => _options.Forwarding;

    private string StartUdpWorkers()
    {
        string error = "";
        bool batched = _options.BatchedUdp && UdpBatchWorker.IsSupported(out error);
        if (_options.BatchedUdp && !batched)
        {
            DnsServerLog.BatchedUdpUnavailable(_logger, error);
        }

        _liveUdpWorkers = _udpSockets.Count;
        for (int i = 0; i < _udpSockets.Count; i++)
        {
            UdpBatchWorker? worker = null;
            if (batched)
            {
                worker = new UdpBatchWorker(this, _udpSockets[i], i, Metrics);
                _batchWorkers.Add(worker);
            }

            _loops.Add(SuperviseUdpWorkerAsync(i, worker, _stopping!.Token));
        }

        return batched ? "recvmmsg" : "socket loop";
    }

    // The portable path: one async receive per datagram into a reused buffer and SocketAddress (no per-call EndPoint).
    private async Task ReceiveLoopAsync(Socket socket, int id, CancellationToken cancellationToken)
    {
        var input = GC.AllocateArray<byte>(UdpBatchWorker.RxSize, pinned: true);
        var output = GC.AllocateArray<byte>(UdpBatchWorker.TxSize, pinned: true);
        var address = new SocketAddress(socket.AddressFamily);
        var metrics = Metrics;
        uint random = (uint)Environment.TickCount | 1u;
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(input, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Linux reports ICMP errors for earlier sends here (e.g. ConnectionReset); the socket stays usable.
                DnsServerLog.UdpReceiveFailed(_logger, id, e.SocketErrorCode.ToString());
                continue;
            }

            UdpFaultHook?.Invoke(id);
            long start = Stopwatch.GetTimestamp();
            random = (random * 1664525) + 1013904223;
            var response = DnsResponder.Respond(Index, input.AsSpan(0, received), output, tcp: false, _options.Forwarding, random >> 8);
            switch (response.Kind)
            {
                case DnsResponseKind.Reply:
                    try
                    {
                        await socket.SendToAsync(output.AsMemory(0, response.Length), SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        // Lost reply: the client retries.
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }

                    metrics.RecordQuery(response.QueryType, response.Rcode, Stopwatch.GetTimestamp() - start);
                    break;
                case DnsResponseKind.Forward:
                    var client = new SocketAddress(address.Family, address.Size);
                    address.Buffer.CopyTo(client.Buffer);
                    var query = input.AsSpan(0, received).ToArray();
                    StartForward(query, tcp: false, metrics, start, reply => socket.SendToAsync(reply, SocketFlags.None, client).AsTask());
                    break;
                default:
                    metrics.RecordDropped();
                    break;
            }
        }
    }

    /// <summary>Forwards a UDP query received by a batch worker and answers through the worker's socket.</summary>
    internal void ForwardUdp(byte[] query, int fd, Socket socket, byte[] clientAddress, DnsMetrics metrics, long start)
    {
        StartForward(query, tcp: false, metrics, start, reply =>
        {
            SendOne(socket, reply, clientAddress);
            return Task.CompletedTask;
        });
        _ = fd;
    }

    private unsafe void SendOne(Socket socket, ReadOnlyMemory<byte> reply, byte[] clientAddress)
    {
        bool added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* data = reply.Span)
            fixed (byte* addr = clientAddress)
            {
                nuint* iov = stackalloc nuint[2];
                iov[0] = (nuint)data;
                iov[1] = (nuint)reply.Length;
                mmsghdr message = default;
                message.msg_name = addr;
                message.msg_namelen = (uint)clientAddress.Length;
                message.msg_iov = iov;
                message.msg_iovlen = 1;
                UdpBatchWorker.Send((int)handle.DangerousGetHandle(), &message, 1);
            }
        }
        catch (ObjectDisposedException)
        {
            // Server stopping: the reply is dropped.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Runs one forward off the receive path. Beyond <see cref="DnsServerOptions.MaxPendingForwards"/> in flight the
    /// client gets SERVFAIL at once, so a dead upstream cannot pile up sockets and tasks.
    /// </summary>
    private void StartForward(byte[] query, bool tcp, DnsMetrics metrics, long start, Func<ReadOnlyMemory<byte>, Task> send)
    {
        _ = Task.Run(async () =>
        {
            var (reply, length, rcode, type) = await ForwardOrFailAsync(query, tcp, metrics).ConfigureAwait(false);
            if (length > 0)
            {
                try
                {
                    await send(reply.AsMemory(0, length)).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                }
                catch (ObjectDisposedException)
                {
                }
            }

            metrics.RecordQuery(type, rcode, Stopwatch.GetTimestamp() - start);
        });
    }

    /// <summary>The forwarded reply, or SERVFAIL when every upstream failed or too many forwards are pending.</summary>
    private async Task<(byte[] Reply, int Length, DnsRcode Rcode, DnsRecordType Type)> ForwardOrFailAsync(byte[] query, bool tcp, DnsMetrics metrics)
    {
        var type = QueryType(query);
        byte[]? reply = null;
        if (Interlocked.Increment(ref _pendingForwards) <= _options.MaxPendingForwards)
        {
            try
            {
                reply = await _forwarder.ForwardAsync(query, tcp, _stopping?.Token ?? default).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _pendingForwards);
            }
        }
        else
        {
            Interlocked.Decrement(ref _pendingForwards);
        }

        if (reply is not null)
        {
            return (reply, reply.Length, (DnsRcode)(reply[3] & 0xF), type);
        }

        metrics.RecordForwarderError();
        var failure = new byte[DnsHeader.Size + DnsName.MaxLength + 4 + DnsEdns.RecordSize];
        int length = DnsResponder.WriteFailure(query, failure, DnsRcode.ServFail, _options.Forwarding);
        return (failure, length, DnsRcode.ServFail, type);
    }

    private static DnsRecordType QueryType(ReadOnlySpan<byte> query)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength + 1];
        DnsQueryReader.TryRead(query, name, out var parsed, out _, out _);
        return parsed.Type;
    }

    private static EndPoint? SafeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }
}
