using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.IntegrationTests.ControlPlane;

namespace Minuet.IntegrationTests.Push;

/// <summary>The data plane following a real master's push stream on 127.0.0.1: changes, health, loss, resume.</summary>
public sealed class MasterStreamSourceTests
{
    private const string Name = "itest-app.itest.mesos";

    [Fact]
    public async Task Stream_TaskRunsThenIsKilled_AppearsInDnsThenLeaves()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        await using var dataPlane = await StreamingDataPlane.StartAsync(cluster.MasterUri);
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);

        await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "push.1", "sleep 60");
        await framework.WaitForStateAsync("push.1", "TASK_RUNNING");
        await LoopbackCluster.WaitAsync(() => dataPlane.AddressCount(Name) == 1, "task in DNS", TimeSpan.FromSeconds(5));
        Assert.True(dataPlane.Task("push.1")!.IsServing);

        Assert.Null(cluster.Master.Master.Kill(framework.Id, new KillRequest { TaskId = "push.1" }));
        await framework.WaitForStateAsync("push.1", "TASK_KILLED");
        await LoopbackCluster.WaitAsync(() => dataPlane.AddressCount(Name) == 0, "task gone from DNS", TimeSpan.FromSeconds(5));

        // DNS drops it at TASK_KILLING already; the task itself leaves once the stream brings TASK_KILLED.
        await LoopbackCluster.WaitAsync(() => dataPlane.Task("push.1") is null, "task gone from the data plane's state", TimeSpan.FromSeconds(10));
        Assert.Equal(1, dataPlane.Source.Snapshots);
    }

    [Fact]
    public async Task Stream_HealthCheckedTask_OnlyServesWhileHealthy()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        await using var dataPlane = await StreamingDataPlane.StartAsync(cluster.MasterUri);
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var check = new HealthCheck
        {
            Type = "TCP", Tcp = new TcpCheck { Port = port },
            IntervalSeconds = 0.2, TimeoutSeconds = 1, GracePeriodSeconds = 10, ConsecutiveFailures = 1,
        };

        try
        {
            await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "checked.1", "sleep 60", check);
            await framework.WaitForStateAsync("checked.1", "TASK_RUNNING");
            await LoopbackCluster.WaitAsync(() => dataPlane.Task("checked.1")?.LatestHealth == true, "healthy in the stream", TimeSpan.FromSeconds(10));
            Assert.Equal(1, dataPlane.AddressCount(Name));
        }
        finally
        {
            listener.Stop();
        }

        await LoopbackCluster.WaitAsync(() => dataPlane.Task("checked.1")?.LatestHealth == false, "unhealthy in the stream", TimeSpan.FromSeconds(10));
        Assert.Equal(0, dataPlane.AddressCount(Name));
        Assert.False(dataPlane.Task("checked.1")!.IsServing);
    }

    [Fact]
    public async Task Stream_MasterRestarts_KeepsLastSnapshotThenResyncs()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        await using var dataPlane = await StreamingDataPlane.StartAsync(cluster.MasterUri);
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "keep.1", "sleep 60");
        await LoopbackCluster.WaitAsync(() => dataPlane.AddressCount(Name) == 1, "task in DNS", TimeSpan.FromSeconds(10));

        await cluster.StopMasterAsync();
        await LoopbackCluster.WaitAsync(() => !dataPlane.Host.Pipeline.Health.Connected, "disconnected", TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        Assert.Equal(1, dataPlane.AddressCount(Name));
        Assert.True(dataPlane.Host.Pipeline.Health.StalenessSeconds >= 0.3);
        string metrics = await new HttpClient().GetStringAsync(new Uri(dataPlane.Host.HttpAddress, "metrics"));
        Assert.Contains("minuet_dataplane_source_connected 0", metrics, StringComparison.Ordinal);

        await cluster.StartMasterAsync();
        await LoopbackCluster.WaitAsync(() => dataPlane.Source.Snapshots == 2, "fresh snapshot from the new master run", TimeSpan.FromSeconds(15));
        await LoopbackCluster.WaitAsync(() => dataPlane.Host.Pipeline.Health.Connected, "connected again", TimeSpan.FromSeconds(5));
        Assert.Equal(1, dataPlane.AddressCount(Name));
        Assert.True(dataPlane.Host.Pipeline.Health.StalenessSeconds < 5);
    }

    [Fact]
    public async Task Stream_ConnectionCut_ResumesFromLastVersionWithoutSnapshot()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        await using var proxy = await CuttableProxy.StartAsync(cluster.MasterPort);
        await using var dataPlane = await StreamingDataPlane.StartAsync(proxy.Uri);
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "resume.1", "sleep 60");
        await LoopbackCluster.WaitAsync(() => dataPlane.AddressCount(Name) == 1, "first task in DNS", TimeSpan.FromSeconds(10));

        proxy.Pause = true;
        proxy.CutAll();
        await LoopbackCluster.WaitAsync(() => !dataPlane.Host.Pipeline.Health.Connected, "disconnected", TimeSpan.FromSeconds(5));
        long before = dataPlane.Source.Version;
        Assert.Null(cluster.Master.Master.Kill(framework.Id, new KillRequest { TaskId = "resume.1" }));
        await framework.WaitForStateAsync("resume.1", "TASK_KILLED");
        Assert.Equal(1, dataPlane.AddressCount(Name)); // the last snapshot is still served while away
        proxy.Pause = false;

        await LoopbackCluster.WaitAsync(() => dataPlane.AddressCount(Name) == 0, "kill seen after resume", TimeSpan.FromSeconds(10));
        Assert.True(dataPlane.Source.Version > before);
        Assert.True(dataPlane.Source.Connections >= 2);
        Assert.Equal(1, dataPlane.Source.Snapshots);
        Assert.Contains(proxy.Requests, r => r.Contains("since=" + before, StringComparison.Ordinal));
    }
}
