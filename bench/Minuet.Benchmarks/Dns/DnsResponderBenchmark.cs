using BenchmarkDotNet.Attributes;
using Minuet.Benchmarks.Dns.Tool;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Dns;

/// <summary>
/// Parse + answer for one query against the compiled answers of 1,000 apps × 3 tasks (the dnsperf fixture):
/// what a UDP worker does per datagram between recvmmsg and sendmmsg. Must allocate 0 bytes.
/// </summary>
[MemoryDiagnoser]
public class DnsResponderBenchmark
{
    private readonly byte[] _output = new byte[4096];
    private DnsAnswerIndex _index = null!;
    private byte[] _multiA = [];
    private byte[] _srv = [];
    private byte[] _nxdomain = [];
    private byte[] _nodata = [];
    private byte[] _ednsA = [];

    /// <summary>Answers compiled up front (a table of precompiled answers) rather than on first query (the server's index).</summary>
    [Params(false, true)]
    public bool Eager { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = SyntheticState.Json(3000, agents: 100);
        var state = MesosStateParser.Parse(json).State!;
        var records = new Minuet.DataPlane.Dns.Records.DnsRecordBuilder(DnsBenchFixture.Options).Build(state, serial: 1);
        _index = Eager ? DnsAnswerCompiler.CompileEager(records) : DnsAnswerCompiler.Compile(records);
        _multiA = Query("App17-Group.marathon.mesos", DnsRecordType.A, edns: false);
        _ednsA = Query("app17-group.marathon.mesos", DnsRecordType.A, edns: true);
        _srv = Query("_app17-group._tcp.marathon.mesos", DnsRecordType.Srv, edns: true);
        _nxdomain = Query("missing17.marathon.mesos", DnsRecordType.A, edns: false);
        _nodata = Query("app17-group.marathon.mesos", DnsRecordType.Aaaa, edns: false);
    }

    [Benchmark(Baseline = true)]
    public int ParseOnly()
    {
        Span<byte> name = stackalloc byte[256];
        return (int)DnsQueryReader.TryRead(_multiA, name, out _, out _, out _);
    }

    [Benchmark]
    public int AnswerA3() => DnsResponder.Respond(_index, _multiA, _output, false, true, 7).Length;

    [Benchmark]
    public int AnswerA3Edns() => DnsResponder.Respond(_index, _ednsA, _output, false, true, 7).Length;

    [Benchmark]
    public int AnswerSrv() => DnsResponder.Respond(_index, _srv, _output, false, true, 7).Length;

    [Benchmark]
    public int AnswerNxDomain() => DnsResponder.Respond(_index, _nxdomain, _output, false, true, 7).Length;

    [Benchmark]
    public int AnswerNoData() => DnsResponder.Respond(_index, _nodata, _output, false, true, 7).Length;

    private static byte[] Query(string name, DnsRecordType type, bool edns)
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer, new ushort[16]);
        writer.WriteHeader(new DnsHeader(0x1234, DnsHeader.FlagRd, 1, 0, 0, (ushort)(edns ? 1 : 0)));
        var labels = name.Split('.').SelectMany(l => new[] { (byte)l.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(l))).Append((byte)0).ToArray();
        writer.WriteName(labels, compress: false);
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16(1);
        int length = writer.Length;
        if (edns)
        {
            length += DnsEdns.Write(buffer.AsSpan(length), 1232, 0, false);
        }

        return buffer[..length];
    }
}
