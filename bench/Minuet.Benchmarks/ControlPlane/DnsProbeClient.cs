using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// A plain DNS client over UDP for the propagation run: the end of an event is what a resolver sees on the wire,
/// not what an API says. Queries are built and answers read with the data plane's own codec.
/// </summary>
internal sealed class DnsProbeClient : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly byte[] _query = new byte[512];
    private readonly byte[] _reply = new byte[4096];
    private readonly byte[] _name = new byte[256];
    private ushort _id;

    public DnsProbeClient(IPEndPoint server)
    {
        _socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(server);
    }

    /// <summary>The ports of the SRV answers for <paramref name="name"/>; null when no reply came (refused, lost, timed out).</summary>
    public async Task<List<int>?> SrvPortsAsync(string name, CancellationToken cancel)
    {
        int length = await ExchangeAsync(name, DnsRecordType.Srv, cancel);
        return length < 0 ? null : ReadAnswers(length, DnsRecordType.Srv, rdata => rdata.Length >= 6 ? BinaryPrimitives.ReadUInt16BigEndian(rdata[4..]) : -1);
    }

    /// <summary>The first A answer for <paramref name="name"/>, or null.</summary>
    public async Task<IPAddress?> FirstAddressAsync(string name, CancellationToken cancel)
    {
        int length = await ExchangeAsync(name, DnsRecordType.A, cancel);
        var raw = length < 0 ? null : ReadAnswers(length, DnsRecordType.A, rdata => rdata.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(rdata) : 0);
        return raw is { Count: > 0 } ? new IPAddress((uint)raw[0]) : null;
    }

    public void Dispose() => _socket.Dispose();

    private async Task<int> ExchangeAsync(string name, DnsRecordType type, CancellationToken cancel)
    {
        ushort id = ++_id;
        int queryLength = WriteQuery(id, name, type);
        await _socket.SendAsync(_query.AsMemory(0, queryLength), SocketFlags.None, cancel);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            while (true)
            {
                int received = await _socket.ReceiveAsync(_reply, SocketFlags.None, timeout.Token);
                // A late reply to an earlier, timed-out query is not this one's answer.
                if (DnsHeader.TryRead(_reply.AsSpan(0, received), out var header) && header.Id == id && header.IsResponse)
                {
                    return received;
                }
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return -1;
        }
        catch (SocketException)
        {
            // ICMP port unreachable while the data plane is not (yet) listening.
            return -1;
        }
    }

    private int WriteQuery(ushort id, string name, DnsRecordType type)
    {
        var writer = new DnsMessageWriter(_query, new ushort[16]);
        writer.WriteHeader(new DnsHeader(id, DnsHeader.FlagRd, 1, 0, 0, 1));
        writer.WriteName(DnsName.Encode(name), compress: false, offer: false);
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16(1);
        int length = writer.Length;
        return length + DnsEdns.Write(_query.AsSpan(length), 1232, 0, false);
    }

    private delegate int RdataValue(ReadOnlySpan<byte> rdata);

    private List<int>? ReadAnswers(int length, DnsRecordType type, RdataValue value)
    {
        var reader = new DnsMessageReader(_reply.AsSpan(0, length));
        if (reader.TryReadHeader(out var header) != DnsReadStatus.Done || header.Rcode != DnsRcode.NoError)
        {
            return header.Rcode == DnsRcode.NxDomain ? [] : null;
        }

        for (int q = 0; q < header.QdCount; q++)
        {
            if (reader.TryReadQuestion(_name, out _, out _, out _) != DnsReadStatus.Done)
            {
                return null;
            }
        }

        var values = new List<int>();
        for (int a = 0; a < header.AnCount; a++)
        {
            if (reader.TryReadRecord(Span<byte>.Empty, out _, out var record) != DnsReadStatus.Done)
            {
                return null;
            }

            if (record.Type == type)
            {
                values.Add(value(reader.Rdata(record)));
            }
        }

        return values;
    }
}
