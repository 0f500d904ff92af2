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

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "condition not reached within 10 s");
    }
}
