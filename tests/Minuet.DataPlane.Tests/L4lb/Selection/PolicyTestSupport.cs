using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Selection;

internal static class PolicyTestSupport
{
    public static IpPort Endpoint(int i) => new(0xC6120100u + (uint)i, (ushort)(8000 + i));

    public static BackendState[] Backends(int count) => [.. Enumerable.Range(1, count).Select(i => new BackendState(Endpoint(i)))];

    public static VipRoute Route(IBackendPolicy policy, BackendState[] backends)
    {
        var definition = new VipDefinition(
            new IpPort(0xC6130001u, 80),
            null,
            [.. backends.Select(b => new VipBackend(b.Endpoint, 1, "t"))]);
        return new VipRoute(definition, backends, backends, policy.Prepare(backends));
    }

    public static FlowTuple Flow(int i) => new(0xC6120A00u + (uint)(i >> 14), (ushort)(1024 + (i & 0x3fff)), 0xC6130001u, 80);

    /// <summary>Benches a backend as the breaker would after the threshold of failures.</summary>
    public static void Bench(BackendState backend, ManualTimeProvider time, int threshold = 5)
    {
        for (int i = 0; i < threshold; i++)
        {
            backend.RecordFailure(time.GetTimestamp(), TimeSpan.FromSeconds(30).Ticks, threshold);
        }
    }
}
