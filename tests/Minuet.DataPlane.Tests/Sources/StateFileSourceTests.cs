using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

public sealed class StateFileSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minuet-state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_FileChanges_PicksUpNewStateAndKeepsLastGoodOnBadWrite()
    {
        var f = new PipelineFixture();
        string path = Path.Combine(_dir, "state.json");
        await File.WriteAllBytesAsync(path, StateFixtures.Bytes(StateFixtures.Dcos113));
        var source = new StateFileSource(path, f.Pipeline, TimeSpan.FromMilliseconds(200));
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        try
        {
            Assert.True(await PipelineFixture.EventuallyAsync(() => f.Store.Current is not null));
            Assert.Single(f.Store.Current!.Records.Names["toy-store.ipv6-framework.mesos"].A);

            // The current document gives toy-store two IPv4 addresses: the change must show up.
            await File.WriteAllBytesAsync(path, StateFixtures.Bytes(StateFixtures.Current));
            Assert.True(await PipelineFixture.EventuallyAsync(() => f.Store.Current!.Records.Names["toy-store.ipv6-framework.mesos"].A.Length == 2));
            var good = f.Store.Current;

            await File.WriteAllTextAsync(path, "{\"slaves\":[{\"id\":5}]}");
            Assert.True(await PipelineFixture.EventuallyAsync(() => f.ErrorCount("parse") >= 1));
            Assert.Same(good, f.Store.Current);
            Assert.Equal("slaves[0].id", f.Health.LastError!.Path);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    [Fact]
    public async Task ReadOnce_MissingFile_ReportsFetchError()
    {
        var f = new PipelineFixture();
        var source = new StateFileSource(Path.Combine(_dir, "absent.json"), f.Pipeline);

        Assert.False(await source.ReadOnceAsync(default));

        Assert.Equal(1, f.ErrorCount("fetch"));
        Assert.Null(f.Store.Current);
    }
}
