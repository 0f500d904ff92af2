using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Forwarding;

/// <summary>
/// Sends queries outside the authoritative zones to upstream resolvers, in list order, over the client's
/// transport (UDP→UDP, TCP→TCP), each with its own timeout; no cache, no retries beyond the list (Mesos-DNS 1.7).
/// Each attempt uses a fresh socket and a fresh random id so off-path replies cannot be matched; the reply is
/// relayed unchanged except that its id is set back to the client's.
/// </summary>
internal sealed class DnsForwarder
{
    private static readonly long WarningInterval = Stopwatch.Frequency * 10;

    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private long _lastWarning = -WarningInterval;
    private long _errors;

    public DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout, ILogger logger)
    {
        _upstreams = upstreams;
        _timeout = timeout;
        _logger = logger;
    }

    public IReadOnlyList<IPEndPoint> Upstreams => _upstreams;

    /// <summary>Failed upstream attempts (timeouts, refused connections, unusable replies) since start.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The upstream reply with the client's id, or null when every upstream failed.</summary>
    public async Task<byte[]?> ForwardAsync(ReadOnlyMemory<byte> query, bool tcp, CancellationToken cancellationToken)
    {
        if (query.Length < DnsHeader.Size)
        {
            return null;
        }

        ushort clientId = BinaryPrimitives.ReadUInt16BigEndian(query.Span);
        byte[] outgoing = query.ToArray();
        foreach (var upstream in _upstreams)
        {
            ushort id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            BinaryPrimitives.WriteUInt16BigEndian(outgoing, id);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            try
            {
                byte[]? reply = tcp
                    ? await ExchangeTcpAsync(upstream, outgoing, id, timeout.Token).ConfigureAwait(false)
                    : await ExchangeUdpAsync(upstream, outgoing, id, timeout.Token).ConfigureAwait(false);
                if (reply is not null)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(reply, clientId);
                    return reply;
                }

                Failed(upstream, tcp, "unusable reply");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Failed(upstream, tcp, "timeout");
            }
            catch (SocketException e)
            {
                Failed(upstream, tcp, e.SocketErrorCode.ToString());
            }
        }

        long now = Stopwatch.GetTimestamp();
        long last = Interlocked.Read(ref _lastWarning);
        // Unreachable upstreams must not flood the log (Mesos-DNS issues #297/#298): one warning per interval.
        if (now - last >= WarningInterval && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            DnsForwarderLog.AllUpstreamsFailed(_logger, _upstreams.Count);
        }

        return null;
    }

    private void Failed(IPEndPoint upstream, bool tcp, string reason)
    {
        Interlocked.Increment(ref _errors);
        DnsForwarderLog.UpstreamFailed(_logger, upstream, tcp ? "tcp" : "udp", reason);
    }

    private static async Task<byte[]?> ExchangeUdpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[ushort.MaxValue];
        while (true)
        {
            // A connected UDP socket only hears from the upstream; stray or stale replies with another id are skipped.
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (IsReplyTo(buffer.AsSpan(0, n), id))
            {
                return buffer.AsSpan(0, n).ToArray();
            }
        }
    }

    private static async Task<byte[]?> ExchangeTcpAsync(IPEndPoint upstream, byte[] query, ushort id, CancellationToken cancellationToken)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(upstream, cancellationToken).ConfigureAwait(false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await socket.SendAsync(framed, SocketFlags.None, cancellationToken).ConfigureAwait(false);

        var prefix = new byte[2];
        if (!await ReadExactlyAsync(socket, prefix, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var reply = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        if (!await ReadExactlyAsync(socket, reply, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return IsReplyTo(reply, id) ? reply : null;
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    private static bool IsReplyTo(ReadOnlySpan<byte> reply, ushort id) =>
        DnsHeader.TryRead(reply, out var header) && header.Id == id && header.IsResponse;
}
