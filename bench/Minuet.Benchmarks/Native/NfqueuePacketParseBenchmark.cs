using BenchmarkDotNet.Attributes;
using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Nfqueue;

namespace Minuet.Benchmarks.Native;

/// <summary>
/// Reading a queued SYN (netlink framing, NFQA attributes, IPv4/TCP 5-tuple) and building its verdict: the per-SYN
/// work around the backend choice, vs a baseline that copies every attribute into its own array first.
/// </summary>
[MemoryDiagnoser]
public class NfqueuePacketParseBenchmark
{
    // The queued SYN of NfqueueParserTests: queue 50, id 7, IPv4 198.18.0.1:40000 -> 198.19.0.10:80.
    private static readonly byte[] Message = Convert.FromHexString(
        "5c000000" + "00030000" + "00000000" + "00000000" + "02000032" +
        "0b000100" + "00000007" + "08000300" + "08000600" + "00000002" + "2c000a00" +
        "4500003c" + "12344000" + "40060000" + "c6120001" + "c613000a" +
        "9c400050" + "00000001" + "00000000" + "5002faf0" + "00000000" + "08000d00" + "0000003c");

    private readonly byte[] _verdict = new byte[NfqueueMessages.MaxMessageSize];

    [Benchmark(Baseline = true)]
    public int CopyingAttributes()
    {
        var attributes = new Dictionary<int, byte[]>();
        int offset = 20;
        while (offset + 4 <= Message.Length)
        {
            int length = BitConverter.ToUInt16(Message, offset);
            int type = BitConverter.ToUInt16(Message, offset + 2) & 0x3fff;
            attributes[type] = Message.AsSpan(offset + 4, length - 4).ToArray();
            offset += (length + 3) & ~3;
        }

        var header = attributes[1];
        uint id = (uint)(header[0] << 24 | header[1] << 16 | header[2] << 8 | header[3]);
        var payload = attributes[10];
        int ihl = (payload[0] & 0x0f) * 4;
        var key = $"{payload[12]}.{payload[13]}.{payload[14]}.{payload[15]}:{payload[ihl] << 8 | payload[ihl + 1]}";
        return key.Length + (int)id;
    }

    [Benchmark]
    public int SpanReader()
    {
        var reader = new NetlinkMessageReader(Message);
        reader.TryRead(out var message);
        NfqueueParser.TryParse(message, out var packet);
        PacketHeaders.TryParseIpv4(packet.Payload, out var flow);
        NfqueueMessages.TryBuildVerdict(_verdict, 1, packet.Queue, packet.PacketId, NfqueueVerdict.Accept, out int written);
        return written + flow.SourcePort;
    }
}
