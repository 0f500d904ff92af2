using System.Diagnostics;
using Minuet.ControlPlane.Coordination;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>Small helpers shared by the HA tests: candidates on the test cluster and waiting for a condition.</summary>
internal static class EtcdTestKit
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);

    public static LeaderElection Candidate(EtcdConnection etcd, string key, string value, TimeSpan? ttl = null) =>
        new(etcd, new LeaderElectionOptions { Key = key, Value = value, Ttl = ttl ?? Ttl });

    /// <summary>Polls <paramref name="condition"/> every 20 ms; returns how long it took, or fails naming <paramref name="what"/>.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
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
