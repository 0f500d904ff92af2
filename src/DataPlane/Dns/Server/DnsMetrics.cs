using System.Diagnostics;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>
/// DNS counters: queries by type and response code, a latency histogram, forwarder errors, drops.
/// Each UDP worker writes its own stripe (no shared cache lines on the hot path); readers sum the stripes.
/// </summary>
internal sealed class DnsMetrics
{
    /// <summary>Query types counted by name; everything else is "other".</summary>
    public static readonly DnsRecordType[] CountedTypes =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Srv, DnsRecordType.Soa, DnsRecordType.Ns, DnsRecordType.Any, DnsRecordType.Ptr, DnsRecordType.Txt, DnsRecordType.Mx];

    public static readonly DnsRcode[] CountedRcodes =
        [DnsRcode.NoError, DnsRcode.FormErr, DnsRcode.ServFail, DnsRcode.NxDomain, DnsRcode.NotImp, DnsRcode.Refused, DnsRcode.BadVers];

    /// <summary>Upper bounds of the latency buckets in seconds (Prometheus <c>le</c>); the last bucket is +Inf.</summary>
    public static readonly double[] LatencyBounds = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05, 0.25, 1, 5];

    public const int TypeSlots = 10;
    public const int RcodeSlots = 8;

    private readonly Stripe[] _stripes;

    public DnsMetrics(int stripes = 64)
    {
        _stripes = new Stripe[Math.Max(1, stripes)];
        for (int i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }
    }

    public Stripe For(int worker) => _stripes[(uint)worker % (uint)_stripes.Length];

    public long ForwarderErrors => Sum(s => s.ForwarderErrors);

    public long Dropped => Sum(s => s.Dropped);

    public long TcpRejected => Sum(s => s.TcpRejected);

    public long Queries(DnsRecordType type, DnsRcode rcode) => Sum(s => s.Counts[(TypeSlot(type) * RcodeSlots) + RcodeSlot(rcode)]);

    public long TotalQueries => Sum(s => s.Counts.Sum());

    /// <summary>Non-cumulative bucket counts (last = over the highest bound) and the sum of latencies in seconds.</summary>
    public (long[] Buckets, double SumSeconds) Latency()
    {
        var buckets = new long[LatencyBounds.Length + 1];
        long ticks = 0;
        foreach (var s in _stripes)
        {
            for (int i = 0; i < buckets.Length; i++)
            {
                buckets[i] += Volatile.Read(ref s.Latency[i]);
            }

            ticks += Volatile.Read(ref s.LatencyTicks);
        }

        return (buckets, ticks / (double)Stopwatch.Frequency);
    }

    public static int TypeSlot(DnsRecordType type)
    {
        int i = Array.IndexOf(CountedTypes, type);
        return i < 0 ? TypeSlots - 1 : i;
    }

    public static int RcodeSlot(DnsRcode rcode)
    {
        int i = Array.IndexOf(CountedRcodes, rcode);
        return i < 0 ? RcodeSlots - 1 : i;
    }

    private long Sum(Func<Stripe, long> read)
    {
        long total = 0;
        foreach (var s in _stripes)
        {
            total += read(s);
        }

        return total;
    }

    /// <summary>One writer's counters; increments are interlocked because TCP connections share stripes.</summary>
    internal sealed class Stripe
    {
        private static readonly long[] BoundTicks = LatencyBounds.Select(b => (long)(b * Stopwatch.Frequency)).ToArray();

        public readonly long[] Counts = new long[TypeSlots * RcodeSlots];
        public readonly long[] Latency = new long[LatencyBounds.Length + 1];
        public long LatencyTicks;
        public long ForwarderErrors;
        public long Dropped;
        public long TcpRejected;

        public void Record(DnsRecordType type, DnsRcode rcode, long elapsedTicks)
        {
            Interlocked.Increment(ref Counts[(TypeSlot(type) * RcodeSlots) + RcodeSlot(rcode)]);
            int bucket = 0;
            while (bucket < BoundTicks.Length && elapsedTicks > BoundTicks[bucket])
            {
                bucket++;
            }

            Interlocked.Increment(ref Latency[bucket]);
            Interlocked.Add(ref LatencyTicks, elapsedTicks);
        }
    }
}
