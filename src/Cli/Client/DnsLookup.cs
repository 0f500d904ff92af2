using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.Cli.Client;

/// <summary>One answer record, as <c>minuet dns</c> prints it.</summary>
internal sealed record DnsAnswer(string Name, string Type, uint Ttl, string Data);

/// <summary>The outcome of one query: the response code and the answers (or why there is none).</summary>
internal sealed record DnsLookupResult(string Rcode, IReadOnlyList<DnsAnswer> Answers, string? Failure);

/// <summary>
/// A tiny stub resolver for <c>minuet dns</c>: one UDP query (recursion desired) to the data plane's DNS with a
/// timeout and a retry, built and read with the server's own codec. A truncated answer is retried over TCP.
/// </summary>
internal static class DnsLookup
{
    public static async Task<DnsLookupResult> QueryAsync(IPEndPoint server, string name, DnsRecordType type, TimeSpan timeout, CancellationToken cancellationToken)
    {
        byte[] query = BuildQuery(name, type, (ushort)Random.Shared.Next(1, ushort.MaxValue));
        byte[]? response = null;
        for (int attempt = 0; attempt < 2 && response is null; attempt++)
        {
            using var udp = new UdpClient(server.AddressFamily);
            try
            {
                await udp.SendAsync(query, server, cancellationToken).ConfigureAwait(false);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(timeout);
                var received = await udp.ReceiveAsync(wait.Token).ConfigureAwait(false);
                response = received.Buffer;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (SocketException ex)
            {
                return new DnsLookupResult("-", [], $"cannot query {server}: {ex.Message}");
            }
        }

        if (response is null)
        {
            return new DnsLookupResult("-", [], $"no answer from {server} within {timeout.TotalSeconds * 2:0.#} s (is the data plane running? --server sets the address)");
        }

        if (DnsHeader.TryRead(response, out var header) && (header.Flags & DnsHeader.FlagTc) != 0)
        {
            response = await QueryTcpAsync(server, query, timeout, cancellationToken).ConfigureAwait(false) ?? response;
        }

        return Parse(response, BinaryPrimitives.ReadUInt16BigEndian(query));
    }

    internal static byte[] BuildQuery(string name, DnsRecordType type, ushort id)
    {
        var buffer = new byte[512];
        Span<ushort> offsets = stackalloc ushort[16];
        var writer = new DnsMessageWriter(buffer, offsets);
        writer.WriteHeader(new DnsHeader(id, DnsHeader.FlagRd, 1, 0, 0, 0));
        writer.WriteQuestion(DnsName.Encode(name.TrimEnd('.')), type, 1);
        return writer.Written.ToArray();
    }

    internal static DnsLookupResult Parse(ReadOnlySpan<byte> message, ushort expectedId)
    {
        var reader = new DnsMessageReader(message);
        if (reader.TryReadHeader(out var header) != DnsReadStatus.Done || header.Id != expectedId || !header.IsResponse)
        {
            return new DnsLookupResult("-", [], "the server's answer is not a response to this query");
        }

        Span<byte> name = stackalloc byte[DnsName.MaxLength + 1];
        for (int i = 0; i < header.QdCount; i++)
        {
            if (reader.TryReadQuestion(name, out _, out _, out _) != DnsReadStatus.Done)
            {
                return new DnsLookupResult(header.Rcode.ToString().ToUpperInvariant(), [], "malformed question section");
            }
        }

        var answers = new List<DnsAnswer>();
        for (int i = 0; i < header.AnCount; i++)
        {
            if (reader.TryReadRecord(name, out int length, out var record) != DnsReadStatus.Done)
            {
                return new DnsLookupResult(header.Rcode.ToString().ToUpperInvariant(), answers, "malformed answer section");
            }

            answers.Add(new DnsAnswer(DnsName.ToText(name[..length]), TypeName(record.Type), record.Ttl, Data(message, record)));
        }

        return new DnsLookupResult(header.Rcode.ToString().ToUpperInvariant(), answers, null);
    }

    private static string Data(ReadOnlySpan<byte> message, in DnsRecordHeader record)
    {
        var rdata = message.Slice(record.RdataOffset, record.RdataLength);
        switch (record.Type)
        {
            case DnsRecordType.A when rdata.Length == 4:
            case DnsRecordType.Aaaa when rdata.Length == 16:
                return new IPAddress(rdata).ToString();
            case DnsRecordType.Srv when rdata.Length >= 7:
            {
                int offset = record.RdataOffset + 6;
                Span<byte> target = stackalloc byte[DnsName.MaxLength + 1];
                string host = DnsName.TryRead(message, ref offset, target, out int length, out _) == DnsReadStatus.Done ? DnsName.ToText(target[..length]) : "?";
                return $"{BinaryPrimitives.ReadUInt16BigEndian(rdata)} {BinaryPrimitives.ReadUInt16BigEndian(rdata[2..])} {BinaryPrimitives.ReadUInt16BigEndian(rdata[4..])} {host}";
            }

            default:
                return Convert.ToHexString(rdata);
        }
    }

    internal static string TypeName(DnsRecordType type) => type switch
    {
        DnsRecordType.A => "A",
        DnsRecordType.Aaaa => "AAAA",
        DnsRecordType.Srv => "SRV",
        _ => ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static async Task<byte[]?> QueryTcpAsync(IPEndPoint server, byte[] query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            using var tcp = new TcpClient(server.AddressFamily);
            await tcp.ConnectAsync(server, wait.Token).ConfigureAwait(false);
            var stream = tcp.GetStream();
            var framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            await stream.WriteAsync(framed, wait.Token).ConfigureAwait(false);
            var lengthBytes = new byte[2];
            await stream.ReadExactlyAsync(lengthBytes, wait.Token).ConfigureAwait(false);
            var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(lengthBytes)];
            await stream.ReadExactlyAsync(response, wait.Token).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or EndOfStreamException)
        {
            return null;
        }
    }
}
