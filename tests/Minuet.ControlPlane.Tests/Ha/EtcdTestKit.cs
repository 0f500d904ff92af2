using System.Diagnostics;
using Minuet.ControlPlane.Coordination;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>Small helpers shared by the HA tests: candidates on the test cluster and waiting for a condition.</summary>
internal static class EtcdTestKit
{
    /// <summary>
    /// Long enough that a test process starved of CPU for a moment (CI runs four test assemblies on two cores) does
    /// not lose a lease it meant to keep: a term lost by accident fails the tests that count on one leader.
    /// </summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(3);

    /// <summary>No wait gives up sooner: waits end on the event, so a generous limit costs nothing when it comes.</summary>
    private static readonly TimeSpan ShortestWait = TimeSpan.FromSeconds(20);

    public static LeaderElection Candidate(EtcdConnection etcd, string key, string value, TimeSpan? ttl = null) =>
        new(etcd, new LeaderElectionOptions { Key = key, Value = value, Ttl = ttl ?? Ttl });

    /// <summary>
    /// Polls <paramref name="condition"/> every 20 ms; returns how long it took, or fails naming <paramref name="what"/>.
    /// <paramref name="timeout"/> says what is expected; a loaded machine gets at least <see cref="ShortestWait"/>
    /// (how fast fail-over is belongs to the benchmark, not to these tests).
    /// </summary>
    public static async Task<TimeSpan> WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        timeout = timeout < ShortestWait ? ShortestWait : timeout;
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(20);
        }

        return watch.Elapsed;
    }
}
