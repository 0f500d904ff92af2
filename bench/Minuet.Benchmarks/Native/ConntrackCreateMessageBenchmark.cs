using System.Net;
using BenchmarkDotNet.Attributes;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.Benchmarks.Native;

/// <summary>
/// Building the per-SYN ctnetlink create message (the balancer's hot path): the span writer into a reused buffer
/// vs the obvious allocation-heavy code (a byte list, BitConverter arrays, children built before their parents).
/// </summary>
[MemoryDiagnoser]
public class ConntrackCreateMessageBenchmark
{
    private readonly byte[] _buffer = new byte[ConntrackMessages.MaxMessageSize];
    private readonly ConntrackNatEntry _entry = ConntrackNatEntry.Dnat(new ConntrackTuple(0xc6120001, 0xc613000a, 40000, 80), 0xc6120102, 8080, 120);
    private uint _sequence;

    [Benchmark(Baseline = true)]
    public byte[] NaiveAllocating()
    {
        var e = _entry;
        var body = new List<byte>();
        body.AddRange(new byte[] { 2, 0, 0, 0 });
        body.AddRange(Nest(1, Tuple(e.Original)));
        body.AddRange(Nest(2, Tuple(e.Reply)));
        body.AddRange(Attr(7, BigEndian(e.TimeoutSeconds)));
        var tcp = new List<byte>();
        tcp.AddRange(Attr(1, [(byte)e.TcpState]));
        tcp.AddRange(Attr(4, [e.TcpFlags, e.TcpFlags]));
        tcp.AddRange(Attr(5, [e.TcpFlags, e.TcpFlags]));
        body.AddRange(Nest(4, Nest(1, tcp.ToArray())));
        var proto = new List<byte>();
        proto.AddRange(Attr(1, BigEndian16(e.NatPort)));
        proto.AddRange(Attr(2, BigEndian16(e.NatPort)));
        var nat = new List<byte>();
        nat.AddRange(Attr(1, BigEndian(e.NatAddress)));
        nat.AddRange(Nest(3, proto.ToArray()));
        body.AddRange(Nest(13, nat.ToArray()));

        var message = new List<byte>();
        message.AddRange(BitConverter.GetBytes(16 + body.Count));
        message.AddRange(BitConverter.GetBytes((ushort)0x0100));
        message.AddRange(BitConverter.GetBytes((ushort)0x0605));
        message.AddRange(BitConverter.GetBytes(++_sequence));
        message.AddRange(BitConverter.GetBytes(0));
        message.AddRange(body);
        return message.ToArray();
    }

    [Benchmark]
    public int SpanWriter()
    {
        ConntrackMessages.TryBuildCreateNat(_buffer, ++_sequence, _entry, out int written);
        return written;
    }

    private static byte[] Tuple(ConntrackTuple t)
    {
        var ip = new List<byte>();
        ip.AddRange(Attr(1, IPAddress.Parse(Minuet.Native.Ipv4.Format(t.SourceAddress)).GetAddressBytes()));
        ip.AddRange(Attr(2, IPAddress.Parse(Minuet.Native.Ipv4.Format(t.DestinationAddress)).GetAddressBytes()));
        var proto = new List<byte>();
        proto.AddRange(Attr(1, [t.Protocol]));
        proto.AddRange(Attr(2, BigEndian16(t.SourcePort)));
        proto.AddRange(Attr(3, BigEndian16(t.DestinationPort)));
        var all = new List<byte>();
        all.AddRange(Nest(1, ip.ToArray()));
        all.AddRange(Nest(2, proto.ToArray()));
        return all.ToArray();
    }

    private static byte[] Nest(ushort type, byte[] children) => Attr((ushort)(type | 0x8000), children);

    private static byte[] Attr(ushort type, byte[] value)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes((ushort)(4 + value.Length)));
        bytes.AddRange(BitConverter.GetBytes(type));
        bytes.AddRange(value);
        while (bytes.Count % 4 != 0)
        {
            bytes.Add(0);
        }

        return bytes.ToArray();
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = BitConverter.GetBytes(value);
        Array.Reverse(bytes);
        return bytes;
    }

    private static byte[] BigEndian16(ushort value)
    {
        var bytes = BitConverter.GetBytes(value);
        Array.Reverse(bytes);
        return bytes;
    }
}
