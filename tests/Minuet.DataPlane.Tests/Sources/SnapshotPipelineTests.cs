using System.Net;
using System.Text;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Tests.Sources;

public class SnapshotPipelineTests
{
    [Fact]
    public async Task ApplyDocument_GoodThenBad_KeepsLastGoodSnapshotAndCountsError()
    {
        var f = new PipelineFixture();
        Assert.True(await f.Pipeline.ApplyDocumentAsync(StateFixtures.Bytes(StateFixtures.Current), "test", default));
        var good = f.Store.Current;
        Assert.NotNull(good);
        Assert.True(good.Records.Names.ContainsKey("liquor-store.marathon.mesos"));

        Assert.False(await f.Pipeline.ApplyDocumentAsync(Encoding.UTF8.GetBytes("{\"frameworks\":[{\"tasks\":[{\"id\":1}]}]}"), "test", default));

        Assert.Same(good, f.Store.Current);
        Assert.Equal(1, f.ErrorCount("parse"));
        Assert.Equal("frameworks[0].tasks[0].id", f.Health.LastError!.Path);
        Assert.Contains("minuet_dataplane_source_errors_total{kind=\"parse\"} 1", f.Metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyDocument_SameBytesAgain_DoesNotRebuildButCountsAsFresh()
    {
        var f = new PipelineFixture();
        var bytes = StateFixtures.Bytes(StateFixtures.Current);
        await f.Pipeline.ApplyDocumentAsync(bytes, "test", default);
        var first = f.Store.Current;

        Assert.True(await f.Pipeline.ApplyDocumentAsync((byte[])bytes.Clone(), "test", default));

        Assert.Same(first, f.Store.Current);
        Assert.Equal(1, f.Health.Builds.Value);
        Assert.Equal(2, f.Health.Updates.Value);
        Assert.True(f.Health.StalenessSeconds < 5);
    }

    [Fact]
    public async Task ApplyState_WithVipProgrammer_PublishesProgrammedVipNames()
    {
        var programmer = new FakeVipProgrammer([new NamedVipAddress("web", "marathon", IPAddress.Parse("11.1.1.1"))]);
        var f = new PipelineFixture(programmer);

        Assert.True(await f.Pipeline.ApplyStateAsync(ClusterState.Empty, "test", default));

        Assert.Equal(1, programmer.Calls);
        Assert.True(f.Store.Current!.Records.Names.ContainsKey("web.marathon.l4lb.thisdcos.directory"));
        Assert.Single(f.Store.Current.NamedVips);
    }

    [Fact]
    public async Task ApplyState_VipProgrammerFails_KeepsPreviousVipNamesAndCountsError()
    {
        var programmer = new FakeVipProgrammer([new NamedVipAddress("web", "marathon", IPAddress.Parse("11.1.1.1"))]);
        var f = new PipelineFixture(programmer);
        await f.Pipeline.ApplyStateAsync(ClusterState.Empty, "test", default);

        programmer.Fail = true;
        var next = StateFixtures.Load(StateFixtures.Current);
        Assert.True(await f.Pipeline.ApplyStateAsync(next, "test", default));

        Assert.Same(next, f.Store.Current!.State);
        Assert.True(f.Store.Current.Records.Names.ContainsKey("web.marathon.l4lb.thisdcos.directory"));
        Assert.Equal(1, f.ErrorCount("vip"));
    }

    [Fact]
    public void Staleness_BeforeAnyGoodState_ReportsNotOk()
    {
        var f = new PipelineFixture();
        f.Pipeline.ReportFetchError("test", "connection refused");

        Assert.False(f.Health.HasGoodState);
        Assert.Equal(1, f.ErrorCount("fetch"));
        Assert.Contains("minuet_dataplane_snapshot_ok 0", f.Metrics.Render(), StringComparison.Ordinal);
    }

    private sealed class FakeVipProgrammer(IReadOnlyList<NamedVipAddress> vips) : IVipProgrammer
    {
        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public ValueTask<IReadOnlyList<NamedVipAddress>> ApplyAsync(ClusterState state, CancellationToken cancellationToken)
        {
            Calls++;
            return Fail ? throw new InvalidOperationException("kernel said no") : ValueTask.FromResult(vips);
        }
    }
}
