using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The scheduler's state dir on a real tmpfs that fills up: refusals say so, nothing is half stored, it recovers by itself.</summary>
public sealed class SchedulerFullDiskTests
{
    [RootFact]
    public async Task StateDirFull_ChangesRefused503_HealthAndMetricsSayIt_RecoversWhenSpaceReturns()
    {
        var dir = Directory.CreateTempSubdirectory("minuet-sched-full-");
        Run("mount", $"-t tmpfs -o size=2m minuet-sched-full {dir.FullName}");
        try
        {
            var master = new TestMaster(time: new ManualTime(DateTimeOffset.UtcNow));
            master.RegisterAgent();
            await using var host = SchedulerHost.Create(new SchedulerHostOptions { MarathonListen = new IPEndPoint(IPAddress.Loopback, 0), Master = master.Core, StateDir = Path.Combine(dir.FullName, "state") });
            await host.StartAsync();
            using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
            using (var first = await http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/before","cmd":"sleep 100","instances":0}""")))
            {
                Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            }

            // Fill the file system to the last block.
            var filler = Path.Combine(dir.FullName, "filler");
            await FillAsync(filler);

            // A definition bigger than any space SQLite has already allocated must be written to new blocks.
            var labels = string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"k{i}\":\"{new string('v', 3000)}\""));
            using var refused = await http.PostAsync("v2/apps", HostTestSteps.Json(BigApp(labels)));
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            using (var doc = JsonDocument.Parse(body))
            {
                Assert.Contains("store cannot write", doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("v2/apps/during")).StatusCode);
            using (var health = await http.GetAsync("health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }

            var metrics = await http.GetFromJsonAsync<JsonElement>("metrics");
            Assert.Equal(0, metrics.GetProperty("gauges").GetProperty("minuet.scheduler.store.writable.gauge").GetProperty("value").GetInt32());
            Assert.True(metrics.GetProperty("counters").GetProperty("minuet.scheduler.store.write-failures.counter").GetProperty("count").GetInt64() > 0);

            // Space comes back: the next tick writes the whole state and changes are taken again.
            File.Delete(filler);
            await HostTestSteps.WaitAsync(async () => (await http.GetAsync("health")).StatusCode == HttpStatusCode.OK);
            using var accepted = await http.PostAsync("v2/apps", HostTestSteps.Json(BigApp(labels)));
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v2/apps/before")).StatusCode);
            await host.StopAsync();
        }
        finally
        {
            Run("umount", dir.FullName);
            dir.Delete(recursive: true);
        }
    }

    private static string BigApp(string labels) => "{\"id\":\"/during\",\"cmd\":\"sleep 100\",\"instances\":0,\"labels\":{" + labels + "}}";

    private static async Task FillAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                await file.WriteAsync(block);
                await file.FlushAsync();
            }
        }
        catch (IOException)
        {
            // ENOSPC: the file system is full.
        }
    }

    private static void Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments}: {process.StandardError.ReadToEnd()}");
    }
}
