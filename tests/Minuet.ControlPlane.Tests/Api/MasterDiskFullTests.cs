using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Api;

/// <summary>
/// Issue: with its state dir full, the master answered empty 500s, kept a phantom STAGING task and launched nothing
/// until restarted. Here the state dir is a real, small tmpfs filled to the last byte.
/// </summary>
public sealed class MasterDiskFullTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-diskfull-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (_mounted)
        {
            Run("umount", "-l", _dir);
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        return Task.CompletedTask;
    }

    [RootFact]
    public async Task Accept_StateDirOnFullTmpfs_Json503AndHealthSayDiskFull_NoPhantomTask_RecoversWhenSpaceReturns()
    {
        Directory.CreateDirectory(_dir);
        Run("mount", "-t", "tmpfs", "-o", "size=4m", "minuet-test", _dir);
        _mounted = true;
        var stateDir = Path.Combine(_dir, "state");

        await using var f = await MasterHttpFixture.StartAsync(stateDir);
        await f.RegisterAgentAsync();
        using var events = await NdjsonReader.OpenAsync(f.Http, new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler/subscribe")
        {
            Content = new StringContent("""{"name":"marathon","role":"*"}""", System.Text.Encoding.UTF8, "application/json"),
        });
        var framework = (await events.NextAsync()).GetProperty("subscribed").GetProperty("framework_id").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await AcceptAsync(f, events, framework, "before")).StatusCode);

        // Fill the file system to the last byte.
        var filler = Path.Combine(_dir, "filler");
        await using (var stream = File.Create(filler))
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    stream.Write(chunk);
                    stream.Flush();
                }
            }
            catch (IOException)
            {
                // ENOSPC: full.
            }
        }

        // SQLite may still fit a small write in pages it holds; tasks with 100 KB commands soon need new ones.
        HttpResponseMessage? refused = null;
        string refusedId = string.Empty;
        for (int i = 0; i < 40 && refused is null; i++)
        {
            refusedId = $"big.{i}";
            var response = await AcceptAsync(f, events, framework, refusedId, commandBytes: 100_000);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        using (var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
        {
            Assert.Equal("store_unavailable", body.RootElement.GetProperty("code").GetString());
            Assert.StartsWith("state store write failed: disk full", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.False(f.Master.Master.Read(m => m.Tasks.ContainsKey(refusedId)), "the refused task must not linger as a phantom STAGING task");
        using (var health = await f.Http.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("disk full", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var metrics = JsonDocument.Parse(await f.Http.GetStringAsync("/metrics/snapshot")))
        {
            Assert.Equal(0, metrics.RootElement.GetProperty("registrar/store_healthy").GetInt32());
            Assert.True(metrics.RootElement.GetProperty("registrar/store_write_failures").GetInt64() >= 1);
        }

        // Space returns: the next launch works and health clears, with no restart.
        File.Delete(filler);
        Assert.Equal(HttpStatusCode.Accepted, (await AcceptAsync(f, events, framework, "after")).StatusCode);
        Assert.True(f.Master.Master.Read(m => m.Tasks.ContainsKey("after")));
        Assert.Equal("ok", await f.Http.GetStringAsync("/health"));
    }

    private static async Task<HttpResponseMessage> AcceptAsync(MasterHttpFixture f, NdjsonReader events, string framework, string taskId, int commandBytes = 10)
    {
        var offers = await events.NextAsync(e => e.GetProperty("type").GetString() == "OFFERS");
        var offer = offers.GetProperty("offers")[0].GetProperty("id").GetString();
        var command = "echo " + new string('x', commandBytes);
        return await f.PostJsonAsync("/api/v1/scheduler/accept", $$$"""
            {"framework_id":"{{{framework}}}","offer_ids":["{{{offer}}}"],"filters":{"refuse_seconds":0},
             "tasks":[{"task_id":"{{{taskId}}}","name":"web","command":{"value":"{{{command}}}"},"resources":{"cpus":0.01,"mem":1}}]}
            """);
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }
}
