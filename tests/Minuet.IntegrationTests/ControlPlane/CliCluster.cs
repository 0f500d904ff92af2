using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>
/// `minuet master` and `minuet agent` as real child processes on 127.0.0.1, plus a scheduler speaking the
/// master's HTTP framework API (NDJSON stream). Every process it starts is killed by pid on disposal.
/// </summary>
internal sealed class CliCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "minuet-cli-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> _processes = [];
    private readonly List<JsonNode> _events = [];
    private readonly HttpClient _http = new();
    private readonly CancellationTokenSource _stop = new();

    public CliCluster()
    {
        MasterPort = FreePort();
        AgentPort = FreePort();
    }

    public int MasterPort { get; }

    public int AgentPort { get; }

    public string? FrameworkId { get; private set; }

    public Uri Master => new($"http://127.0.0.1:{MasterPort}/");

    public Process StartMaster() => Start("master", "--listen", $"127.0.0.1:{MasterPort}", "--state-dir", Path.Combine(_root, "m"),
        "--agent-ping-timeout", "1s", "--max-agent-ping-timeouts", "5", "--log-level", "warning");

    public Process StartAgent() => Start("agent", "--master", Master.ToString(), "--listen", $"127.0.0.1:{AgentPort}",
        "--work-dir", Path.Combine(_root, "a"), "--resources", "cpus:2;mem:1024;ports:[31000-31010]", "--no-cgroups", "--log-level", "warning");

    /// <summary>Subscribes a framework and keeps reading its stream, acknowledging every update.</summary>
    public async Task SubscribeAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Master, "api/v1/scheduler/subscribe"))
        {
            Content = new StringContent("{\"name\":\"cli-itest\",\"hostname\":\"127.0.0.1\"}", Encoding.UTF8, "application/json"),
        };
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
        _ = Task.Run(async () =>
        {
            using (response)
            {
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var e = JsonNode.Parse(line)!;
                    lock (_events)
                    {
                        _events.Add(e);
                    }

                    if ((string?)e["type"] == "SUBSCRIBED")
                    {
                        FrameworkId = (string?)e["subscribed"]!["framework_id"];
                    }
                    else if ((string?)e["type"] == "UPDATE" && e["update"]!["uuid"] is { } uuid)
                    {
                        await CallAsync("acknowledge", new JsonObject
                        {
                            ["framework_id"] = FrameworkId, ["task_id"] = (string?)e["update"]!["task_id"],
                            ["agent_id"] = (string?)e["update"]!["agent_id"], ["uuid"] = (string?)uuid,
                        });
                    }
                }
            }
        });
    }

    public async Task CallAsync(string name, JsonObject body)
    {
        using var response = await _http.PostAsync(new Uri(Master, "api/v1/scheduler/" + name),
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), _stop.Token);
        Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonNode> WaitEventAsync(Func<JsonNode, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            lock (_events)
            {
                var found = _events.FirstOrDefault(match);
                if (found is not null)
                {
                    return found;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("timed out waiting for " + what);
    }

    public Task<JsonNode> WaitStateAsync(string taskId, string state) =>
        WaitEventAsync(e => (string?)e["type"] == "UPDATE" && (string?)e["update"]!["task_id"] == taskId && (string?)e["update"]!["state"] == state,
            $"{state} of {taskId}");

    public async Task<JsonNode> GetAsync(string url) => JsonNode.Parse(await _http.GetStringAsync(url, _stop.Token))!;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _http.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "minuet.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
