using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.Benchmarks.Dns;

/// <summary>Canonical task-name hashing, run once per task per snapshot build: span-based vs the obvious string code.</summary>
[MemoryDiagnoser]
public class TaskHashBenchmark
{
    private const string TaskId = "nginx.5b1f4b47-8c7a-11e5-a4ad-0242ac110003";
    private readonly byte[] _destination = new byte[TaskHash.Length];

    [Benchmark(Baseline = true)]
    public string NaiveStringEncoding()
    {
        // What a straightforward port of Mesos-DNS's Go code does: bytes -> bit string -> chars.
        const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";
#pragma warning disable CA5350
        var sha = SHA1.HashData(Encoding.UTF8.GetBytes(TaskId));
#pragma warning restore CA5350
        var bits = new StringBuilder();
        foreach (var b in sha)
        {
            bits.Append(Convert.ToString(b, 2).PadLeft(8, '0'));
        }

        var sb = new StringBuilder();
        for (int i = 0; i + 5 <= bits.Length && sb.Length < TaskHash.Length; i += 5)
        {
            sb.Append(Alphabet[Convert.ToInt32(bits.ToString(i, 5), 2)]);
        }

        return sb.ToString();
    }

    [Benchmark]
    public byte SpanEncoding()
    {
        TaskHash.Compute(TaskId, _destination);
        return _destination[0];
    }
}
