using System.Net;
using System.Text;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The scheduler as a separate framework over HTTP: a real master on 127.0.0.1, subscribe stream and calls.</summary>
public class HttpMasterLinkTests
{
    [Fact]
    public async Task SchedulerHost_OverHttp_RegistersAndKeepsFrameworkIdAcrossRestart()
    {
        var dir = Directory.CreateTempSubdirectory("minuet-sched-http-");
        await using var master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null, new MasterOptions { AdvertiseIp = "127.0.0.1", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await master.StartAsync();
        try
        {
            string? firstId;
            var options = new SchedulerHostOptions { MarathonListen = new IPEndPoint(IPAddress.Loopback, 0), MasterUrl = master.BaseAddress, StateDir = dir.FullName };
            await using (var scheduler = SchedulerHost.Create(options))
            {
                await scheduler.StartAsync();
                await WaitAsync(() => scheduler.Core.FrameworkId is not null && scheduler.Core.Connected);
                firstId = scheduler.Core.FrameworkId;
                Assert.Equal("marathon", master.Master.Read(m => m.Frameworks[firstId!].Name));
                using var http = new HttpClient { BaseAddress = scheduler.BaseAddress };
                using var posted = await http.PostAsync("v2/apps", new StringContent("""{"id":"/h","cmd":"sleep 1","cpus":0.1,"mem":32}""", Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            }

            await using var again = SchedulerHost.Create(options);
            await again.StartAsync();
            await WaitAsync(() => again.Core.Connected);
            Assert.Equal(firstId, again.Core.FrameworkId);
            Assert.Single(master.Master.Read(m => m.Frameworks.Keys.ToList()));
            Assert.Equal(1, again.Core.Read(v => v.Apps["/h"].Definition.Instances));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 500, "http_500")]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 50\r\nConnection: close\r\n\r\n{\"code\":\"store_failed\",\"message\":\"disk is full!!\"}", 503, "store_failed")]
    public async Task Call_MasterAnswersAnError_IsItsRefusalNotUnreachable(string answer, int status, string code)
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var buffer = new byte[8192];
            var seen = new StringBuilder();
            while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int n = await stream.ReadAsync(buffer);
                seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        });
        using var http = new HttpClient();
        var link = new Minuet.ControlPlane.Scheduler.MasterLink.HttpMasterLink(http, new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));

        var error = await link.ReviveAsync("fw", CancellationToken.None);
        await serve;

        Assert.NotNull(error);
        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.Code);
        Assert.NotEqual(Minuet.ControlPlane.Scheduler.MasterLink.HttpMasterLink.Unreachable, error.Code);
    }

    [Fact]
    public async Task Call_NothingListening_IsUnreachable()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var http = new HttpClient();
        var link = new Minuet.ControlPlane.Scheduler.MasterLink.HttpMasterLink(http, new Uri($"http://127.0.0.1:{port}/"));

        var error = await link.ReviveAsync("fw", CancellationToken.None);

        Assert.Equal(Minuet.ControlPlane.Scheduler.MasterLink.HttpMasterLink.Unreachable, error!.Code);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not reached within 10 s");
    }
}
