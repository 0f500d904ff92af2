using System.Diagnostics;
using System.Text.Json;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>examples/hello.json</c> tells its instances apart and turns healthy quickly.</summary>
public sealed class ExampleAppTests
{
    [Fact]
    public async Task HelloExample_Cmd_AnswersItsTaskIdAndHostPort()
    {
        using var app = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "hello.json")));
        int port = SignalledCli.FreePort();
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(app.RootElement.GetProperty("cmd").GetString()!);
        psi.Environment["MESOS_TASK_ID"] = "hello.1234";
        psi.Environment["HOST"] = "127.0.0.1";
        psi.Environment["PORT0"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var server = Process.Start(psi)!;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            string? body = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(20); body is null && DateTime.UtcNow < deadline;)
            {
                Assert.False(server.HasExited, "the example's server exited: " + (server.HasExited ? await server.StandardError.ReadToEndAsync() : string.Empty));
                try
                {
                    body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"));
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            Assert.Equal($"hello from hello.1234 at 127.0.0.1:{port}\n", body);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task HelloExample_HealthCheck_StartsWithinASecondNotMesosDefault15()
    {
        using var app = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "examples", "hello.json")));
        var check = app.RootElement.GetProperty("healthChecks")[0];

        Assert.Equal("MESOS_HTTP", check.GetProperty("protocol").GetString());
        Assert.Equal(1, check.GetProperty("delaySeconds").GetInt32());
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LoadBalancer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (LoadBalancer.sln) is not above " + AppContext.BaseDirectory);
    }
}
