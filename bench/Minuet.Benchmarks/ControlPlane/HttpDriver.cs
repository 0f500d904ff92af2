using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Protocol;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// Drives a real master over HTTP on loopback: registers simulated agents (all served by one fake agent listener on
/// 127.0.0.1 that answers launches and reports TASK_RUNNING), subscribes a framework, fills every offer with tasks,
/// acknowledges the updates, then times <c>GET /master/state</c>.
/// </summary>
internal static class HttpDriver
{
    /// <summary>Concurrent status posts of the fake agents, and concurrent acknowledgements of the framework.</summary>
    private const int Senders = 16;

    public static async Task RunAsync(Uri master, int agents, int tasks)
    {
        // One client per kind of traffic: with a single client 100,000 status posts and acknowledgements queue for
        // its connections, heartbeats wait behind them past the master's silence limit (75 s) and acknowledgements
        // come so late that the master resends every update, which is the benchmark measuring its own queue.
        using var http = NewClient(master, Senders + 8);
        using var agentHttp = NewClient(master, Senders);
        using var beatHttp = NewClient(master, 4);
        using var streamHttp = NewClient(master, 2);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var fakeAgent = builder.Build();
        int running = 0;
        var statuses = Channel.CreateUnbounded<TaskStatusUpdate>(new UnboundedChannelOptions { SingleWriter = false });
        fakeAgent.MapPost(ProtocolRoutes.LaunchTask, async context =>
        {
            var launch = (await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.LaunchTaskRequest))!;
            context.Response.StatusCode = 202;
            statuses.Writer.TryWrite(new TaskStatusUpdate
            {
                Uuid = Guid.NewGuid().ToString(),
                TaskId = launch.TaskId,
                FrameworkId = launch.FrameworkId,
                AgentId = launch.AgentId,
                State = "TASK_RUNNING",
                Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                ContainerStatus = new ContainerStatus { NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = "127.0.0.1" }] }] },
            });
        });
        var statusSenders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            await foreach (var update in statuses.Reader.ReadAllAsync())
            {
                using var r = await agentHttp.PostAsJsonAsync(ProtocolRoutes.Status(update.AgentId), update, ProtocolJsonContext.Default.TaskStatusUpdate);
                Interlocked.Increment(ref running);
            }
        })).ToArray();
        await fakeAgent.StartAsync();
        int agentPort = new Uri(fakeAgent.Urls.First()).Port;

        var sw = Stopwatch.StartNew();
        var agentIds = new string[agents];
        await Parallel.ForAsync(0, agents, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var request = new RegisterAgentRequest
            {
                Hostname = $"sim-agent-{i}",
                Address = "127.0.0.1",
                Port = agentPort,
                Resources = new ResourceSet { Cpus = 16, Mem = 65536, Disk = 100000, Ports = [new PortRange(31000, 32000)] },
            };
            using var r = await http.PostAsJsonAsync(ProtocolRoutes.Register, request, ProtocolJsonContext.Default.RegisterAgentRequest, ct);
            r.EnsureSuccessStatusCode();
            agentIds[i] = (await r.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.RegisterAgentResponse, ct))!.AgentId;
        });
        Console.WriteLine($"http: {agents} agents registered in {sw.ElapsedMilliseconds} ms");

        // Simulated agents stay alive as real ones do: a run at 10,000 agents lasts longer than the master's silence
        // limit (ping timeout x max timeouts, 75 s by default), past which it would mark them unreachable.
        using var stopHeartbeats = new CancellationTokenSource();
        var heartbeats = HeartbeatAsync(beatHttp, agentIds, stopHeartbeats.Token);

        sw.Restart();
        using var subscribe = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler/subscribe")
        {
            Content = new StringContent("""{"name":"bench-framework","role":"*"}""", Encoding.UTF8, "application/json"),
        };
        using var stream = await streamHttp.SendAsync(subscribe, HttpCompletionOption.ResponseHeadersRead);
        stream.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());

        // The stream is read on its own task, so nothing the loop below waits for can leave events unread.
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stopReading = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync(stopReading.Token) is { } line)
                {
                    lines.Writer.TryWrite(line);
                }

                lines.Writer.TryComplete(new EndOfStreamException("scheduler stream ended"));
            }
            catch (OperationCanceledException)
            {
                lines.Writer.TryComplete();
            }
            catch (Exception e)
            {
                lines.Writer.TryComplete(e);
            }
        });

        // Acknowledgements go out from a few workers (the v1 API takes one per call), never one request per update at once.
        var acks = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
        var ackers = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
        {
            await foreach (var json in acks.Reader.ReadAllAsync())
            {
                await AcknowledgeAsync(http, json);
            }
        })).ToArray();

        string? framework = null;
        int launched = 0;
        int perAgent = Math.Max(1, (tasks + agents - 1) / agents);
        var accepts = new List<Task>();
        while (launched < tasks || Volatile.Read(ref running) < tasks)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string line;
            try
            {
                line = await lines.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no scheduler event for 60 s ({launched} launched, {Volatile.Read(ref running)} running)");
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            switch (root.GetProperty("type").GetString())
            {
                case "SUBSCRIBED":
                    framework = root.GetProperty("subscribed").GetProperty("framework_id").GetString();
                    break;
                case "ERROR":
                    throw new InvalidOperationException("scheduler stream: " + line);
                case "OFFERS":
                    foreach (var offer in root.GetProperty("offers").EnumerateArray())
                    {
                        var sb = new StringBuilder();
                        for (int k = 0; k < perAgent && launched < tasks; k++, launched++)
                        {
                            int port = 31000 + k;
                            sb.Append(sb.Length == 0 ? string.Empty : ",").Append(TaskJson(launched, port));
                        }

                        var body = $$$"""{"framework_id":"{{{framework}}}","offer_ids":["{{{offer.GetProperty("id").GetString()}}}"],"tasks":[{{{sb}}}],"filters":{"refuse_seconds":3600}}""";
                        accepts.Add(PostAsync(http, "/api/v1/scheduler/accept", body));
                    }

                    break;
                case "UPDATE":
                    var update = root.GetProperty("update");
                    if (update.TryGetProperty("uuid", out var uuid))
                    {
                        acks.Writer.TryWrite($$"""{"framework_id":"{{framework}}","task_id":"{{update.GetProperty("task_id").GetString()}}","uuid":"{{uuid.GetString()}}"}""");
                    }

                    break;
            }
        }

        acks.Writer.TryComplete();
        statuses.Writer.TryComplete();
        await Task.WhenAll(accepts);
        await Task.WhenAll(ackers);
        await Task.WhenAll(statusSenders);
        Console.WriteLine($"http: {tasks} tasks launched and running in {sw.ElapsedMilliseconds} ms");

        int bytes = 0;
        var samples = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            var t = Stopwatch.StartNew();
            var body = await streamHttp.GetByteArrayAsync("/master/state");
            samples.Add(t.Elapsed.TotalMilliseconds);
            bytes = body.Length;
        }

        samples.RemoveAt(0);
        samples.Sort();
        Console.WriteLine($"http: GET /master/state median {samples[samples.Count / 2]:F1} ms, p95 {samples[(int)(samples.Count * 0.95)]:F1} ms, {bytes / 1024} KiB (goal < 200 ms)");
        await stopHeartbeats.CancelAsync();
        Console.WriteLine($"http: {await heartbeats} heartbeats sent for the {agents} simulated agents");
        await stopReading.CancelAsync();
        stream.Dispose();
        await reading;
    }

    private static HttpClient NewClient(Uri master, int connections) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = master, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>One heartbeat per agent every <see cref="HeartbeatRound"/>, spread over the round (Mesos agents ping every 15 s).</summary>
    private static readonly TimeSpan HeartbeatRound = TimeSpan.FromSeconds(15);

    private static async Task<long> HeartbeatAsync(HttpClient http, string[] agentIds, CancellationToken stop)
    {
        long sent = 0;
        long sequence = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var round = Stopwatch.StartNew();
                sequence++;
                await Parallel.ForAsync(0, agentIds.Length, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop }, async (i, ct) =>
                {
                    // Paced so a round takes about HeartbeatRound, not one burst of 10,000 requests.
                    var due = HeartbeatRound * ((double)i / agentIds.Length);
                    if (due > round.Elapsed)
                    {
                        await Task.Delay(due - round.Elapsed, ct);
                    }

                    var beat = new HeartbeatRequest { AgentId = agentIds[i], Sequence = sequence, Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 };
                    using var r = await http.PostAsJsonAsync(ProtocolRoutes.Heartbeat(agentIds[i]), beat, ProtocolJsonContext.Default.HeartbeatRequest, ct);
                    if (!r.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"heartbeat of {agentIds[i]}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
                    }

                    Interlocked.Increment(ref sent);
                });
                var rest = HeartbeatRound - round.Elapsed;
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }

        return sent;
    }

    private static string TaskJson(int n, int port)
    {
        var app = "app" + (n % 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "{\"task_id\":\"" + app + ".instance-" + n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + "\",\"name\":\"" + app +
            "\",\"command\":{\"value\":\"sleep 3600\"},\"resources\":{\"cpus\":0.1,\"mem\":32,\"ports\":[{\"begin\":" + p + ",\"end\":" + p + "}]}," +
            "\"labels\":[{\"key\":\"HAPROXY_GROUP\",\"value\":\"external\"}]," +
            "\"discovery\":{\"visibility\":\"FRAMEWORK\",\"name\":\"" + app + "\",\"ports\":{\"ports\":[{\"number\":" + p +
            ",\"name\":\"http\",\"protocol\":\"tcp\",\"labels\":{\"labels\":[{\"key\":\"VIP_0\",\"value\":\"/" + app + ":80\"}]}}]}}}";
    }

    /// <summary>
    /// An update the master delivered twice (resent while the first acknowledgement was on its way, as Mesos resends
    /// unacknowledged updates) is acknowledged twice; the second answer is 404 <c>unknown_update</c>, which is not a failure.
    /// </summary>
    private static async Task AcknowledgeAsync(HttpClient http, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/scheduler/acknowledge", content);
        string body = response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode && !(response.StatusCode == System.Net.HttpStatusCode.NotFound && body.Contains("\"unknown_update\"", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"/api/v1/scheduler/acknowledge: {(int)response.StatusCode} {body}");
        }
    }

    private static async Task PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
