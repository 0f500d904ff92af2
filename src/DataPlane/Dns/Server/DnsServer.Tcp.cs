using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Server;

internal sealed partial class DnsServer
{
    /// <summary>Queries shorter than a header cannot be answered; a zero length prefix ends the connection.</summary>
    private const int MinTcpMessage = DnsHeader.Size;

    /// <summary>Replies gathered before one send: pipelined queries read together are answered with one write.</summary>
    private const int TcpOutputFlush = 16 * 1024;

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Aborted handshakes and fd exhaustion (EMFILE) are transient for a listener.
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            int open = Interlocked.Increment(ref _tcpConnections);
            if (open > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _tcpConnections);
                Metrics.RecordTcpRejected();
                if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
                {
                    var remote = SafeRemote(client);
                    DnsServerLog.TcpRejected(_logger, remote, open - 1, _options.MaxTcpConnections);
                }

                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            _ = ServeConnectionAsync(client, Metrics, cancellationToken);
        }
    }

    private async Task ServeConnectionAsync(Socket client, DnsMetrics metrics, CancellationToken stopping)
    {
        // Length-prefixed messages (RFC 1035 4.2.2), pipelined: every complete message in the buffer is answered
        // in order, the replies go out together. The idle timer restarts only when a whole query has been read, so a
        // client trickling one byte at a time cannot hold a connection open forever; sends run on the same timer, so
        // a client that never reads its replies is cut off too.
        byte[] input = ArrayPool<byte>.Shared.Rent(4096);
        byte[] output = ArrayPool<byte>.Shared.Rent(TcpOutputFlush + ushort.MaxValue + 2);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        string reason = "closed by peer";
        uint random = (uint)Environment.TickCount | 1u;
        int filled = 0;
        try
        {
            idle.CancelAfter(_options.TcpIdleTimeout);
            while (true)
            {
                int n = await client.ReceiveAsync(input.AsMemory(filled), SocketFlags.None, idle.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                filled += n;
                int consumed = 0;
                int outLength = 0;
                bool close = false;
                while (filled - consumed >= 2)
                {
                    int length = BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(consumed));
                    if (length < MinTcpMessage)
                    {
                        reason = $"length prefix {length} below a DNS header";
                        close = true;
                        break;
                    }

                    if (filled - consumed - 2 < length)
                    {
                        break;
                    }

                    // A complete query: the client is alive, give it a fresh idle window (CancelAfter re-arms).
                    idle.CancelAfter(_options.TcpIdleTimeout);
                    long start = Stopwatch.GetTimestamp();
                    var query = input.AsSpan(consumed + 2, length);
                    random = (random * 1664525) + 1013904223;
                    var response = DnsResponder.Respond(Index, query, output.AsSpan(outLength + 2), tcp: true, _options.Forwarding, random >> 8);
                    if (response.Kind == DnsResponseKind.Reply)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(outLength), (ushort)response.Length);
                        outLength += 2 + response.Length;
                        metrics.RecordQuery(response.QueryType, response.Rcode, Stopwatch.GetTimestamp() - start);
                    }
                    else if (response.Kind == DnsResponseKind.Forward)
                    {
                        byte[] copy = query.ToArray();
                        await SendAllAsync(client, output, outLength, idle.Token).ConfigureAwait(false);
                        outLength = 0;
                        var (reply, replyLength, rcode, type) = await ForwardOrFailAsync(copy, tcp: true, metrics).ConfigureAwait(false);
                        BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)replyLength);
                        reply.AsSpan(0, replyLength).CopyTo(output.AsSpan(2));
                        outLength = 2 + replyLength;
                        metrics.RecordQuery(type, rcode, Stopwatch.GetTimestamp() - start);

                        // The upstream may have used most of the window; the reply still deserves a full one.
                        idle.CancelAfter(_options.TcpIdleTimeout);
                    }
                    else
                    {
                        metrics.RecordDropped();
                    }

                    consumed += 2 + length;
                    if (outLength >= TcpOutputFlush)
                    {
                        await SendAllAsync(client, output, outLength, idle.Token).ConfigureAwait(false);
                        outLength = 0;
                    }
                }

                await SendAllAsync(client, output, outLength, idle.Token).ConfigureAwait(false);
                if (close)
                {
                    break;
                }

                // Keep the unread tail at the front; grow only when one message is bigger than the buffer.
                filled -= consumed;
                input.AsSpan(consumed, filled).CopyTo(input);
                if (filled >= 2)
                {
                    int need = 2 + BinaryPrimitives.ReadUInt16BigEndian(input);
                    if (need > input.Length)
                    {
                        byte[] bigger = ArrayPool<byte>.Shared.Rent(need);
                        input.AsSpan(0, filled).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(input);
                        input = bigger;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "server stopping" : "idle timeout";
        }
        catch (SocketException e)
        {
            reason = e.SocketErrorCode.ToString();
        }
        catch (ObjectDisposedException)
        {
            reason = "server stopping";
        }
        finally
        {
            Interlocked.Decrement(ref _tcpConnections);
            if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
            {
                var remote = SafeRemote(client);
                DnsServerLog.TcpClosed(_logger, remote, reason);
            }

            client.Dispose();
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static async ValueTask SendAllAsync(Socket client, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < length)
        {
            sent += await client.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }
}
