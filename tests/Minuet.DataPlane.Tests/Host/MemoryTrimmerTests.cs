using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Host;
using Minuet.DataPlane.Model;
using Xunit;

namespace Minuet.DataPlane.Tests.Host;

public sealed class MemoryTrimmerTests
{
    private static readonly DataPlaneSnapshot Snapshot =
        new(ClusterState.Empty, DnsRecordSet.Empty(new DnsZoneInfo()), [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void Publish_BurstOfSnapshots_TrimsOnceAfterItSettles()
    {
        var store = new SnapshotStore();
        using var trimmer = new MemoryTrimmer(store, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        for (int i = 0; i < 5; i++)
        {
            store.Publish(Snapshot);
        }

        Assert.True(WaitFor(() => trimmer.Trims > 0), "no trim after the burst settled");
        Thread.Sleep(300);
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void Publish_SoonAfterATrim_WaitsForTheMinimumInterval()
    {
        var store = new SnapshotStore();
        using var trimmer = new MemoryTrimmer(store, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1.5));
        store.Publish(Snapshot);
        Assert.True(WaitFor(() => trimmer.Trims == 1), "first trim never ran");

        store.Publish(Snapshot);
        // The settle delay alone (20 ms) has long passed; the interval since the first trim (1.5 s) has not.
        Thread.Sleep(200);
        Assert.Equal(1, trimmer.Trims);
        Assert.True(WaitFor(() => trimmer.Trims == 2), "second trim never ran after the interval");
    }

    [Fact]
    public void New_StoreAlreadyHoldsASnapshot_TrimsForIt()
    {
        var store = new SnapshotStore();
        store.Publish(Snapshot);
        using var trimmer = new MemoryTrimmer(store, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30));

        Assert.True(WaitFor(() => trimmer.Trims == 1), "the snapshot published before the trimmer was never trimmed for");
    }

    [Fact]
    public void Dispose_PendingTrim_NeverRuns()
    {
        var store = new SnapshotStore();
        var trimmer = new MemoryTrimmer(store, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        store.Publish(Snapshot);
        trimmer.Dispose();
        store.Publish(Snapshot);

        Thread.Sleep(400);
        Assert.Equal(0, trimmer.Trims);
    }

    // Bounded wait: the condition, checked every 10 ms for at most 10 s.
    private static bool WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 1000; i++)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return condition();
    }
}
