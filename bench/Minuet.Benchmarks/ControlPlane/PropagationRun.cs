using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// <c>propagation --marathon URL --master URL --dataplane URL --dns IP:PORT [--app PATH] [--events 200] [--deploy 1000] [--vips] [--api]</c>
/// (bench/scripts/propagation.sh). The requirement: from the agent's TASK_RUNNING status to an answer seen by a DNS
/// client and to a connectable VIP backend, p99 ≤ 100 ms over 200 scale events.
/// Each event scales app /prop from 1 to 2 instances (then back to 1; Marathon kills the youngest) and measures
/// from the new task's TASK_RUNNING timestamp (written by the agent, kept by the master: <see cref="RunningTimestamp"/>)
/// to (a) a UDP DNS client's SRV answer carrying the new task's port, (b) with <c>--vips</c>, the first connect() to
/// the VIP answered by the new task (the app writes its MESOS_TASK_ID). Holding the app at one old backend keeps a
/// connect's chance of landing on the new one at about half, so the VIP figure is not dominated by probe luck.
/// <c>--api</c> adds the old API-read figures (<c>/v1/services</c>, <c>/vips</c>) for comparison. Then times a
/// deployment of N instances to all running and all in the services API.
/// </summary>
internal static class PropagationRun
{
    private const string SrvName = "_prop._tcp.marathon.mesos";
    private const string VipName = "prop.marathon.l4lb.thisdcos.directory";
    private const double GoalMs = 100;

    // Without --app (the script compiles bench/scripts/propagation-app.c): the same server in Python. It needs tens of
    // milliseconds to listen after spawn (when the agent reports RUNNING), and a VIP backend refusing meanwhile is
    // benched by passive health, so with it the VIP figure measures app startup and benching, not propagation.
    private const string PythonAppCommand = """
        p=python3; [ -x /usr/bin/python3 ] && p=/usr/bin/python3
        exec $p -I -S -c 'import os,socket
        s=socket.socket()
        s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)
        s.bind(("0.0.0.0",int(os.environ["PORT0"])))
        s.listen(1024)
        m=os.environ["MESOS_TASK_ID"].encode()
        while 1:
         c=s.accept()[0]
         try: c.sendall(m)
         except OSError: pass
         c.close()'
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        string marathon = Arg(args, "--marathon") ?? "http://127.0.0.1:8080";
        string master = Arg(args, "--master") ?? "http://127.0.0.1:5050";
        string dataplane = Arg(args, "--dataplane") ?? "http://127.0.0.1:61421";
        var dnsServer = IPEndPoint.Parse(Arg(args, "--dns") ?? "127.0.0.1:53");
        int events = int.Parse(Arg(args, "--events") ?? "200", CultureInfo.InvariantCulture);
        int deploy = int.Parse(Arg(args, "--deploy") ?? "1000", CultureInfo.InvariantCulture);
        var bound = TimeSpan.FromMilliseconds(double.Parse(Arg(args, "--timeout-ms") ?? "5000", CultureInfo.InvariantCulture));
        bool vips = args.Contains("--vips");
        bool api = args.Contains("--api");
        string appCommand = Arg(args, "--app") is { } app ? "exec " + app : PythonAppCommand;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var dns = new DnsProbeClient(dnsServer);

        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/prop?force=true", null);
        await WaitForNoDeploymentAsync(http, marathon);
        await SendAsync(http, HttpMethod.Post, $"{marathon}/v2/apps", JsonSerializer.Serialize(new
        {
            id = "/prop",
            cmd = appCommand,
            instances = 1,
            cpus = 0.01,
            mem = 16,
            portDefinitions = new[] { new { port = 0, labels = new Dictionary<string, string> { ["VIP_0"] = "/prop:80" } } },
        }));

        var first = await RunningTasksAsync(http, marathon, 1, TimeSpan.FromSeconds(60));
        if (first is null || await WaitForDnsPortsAsync(dns, first.Select(t => t.Port).ToHashSet(), TimeSpan.FromSeconds(30)) is false)
        {
            Console.Error.WriteLine("propagation: the first instance of /prop did not come up (running and in DNS) within 60 s");
            return 1;
        }

        IPEndPoint? vip = null;
        if (vips)
        {
            vip = await ResolveVipAsync(dns, TimeSpan.FromSeconds(30));
            Console.WriteLine(vip is null ? $"VIP {VipName} did not resolve within 30 s: no VIP figures" : $"VIP {VipName} -> {vip}");
        }

        var dnsReport = new LatencyReport("TASK_RUNNING (agent) -> SRV answer at a UDP DNS client");
        var vipReport = new LatencyReport("TASK_RUNNING (agent) -> first connect() to the VIP answered by the new task");
        var servicesApiReport = new LatencyReport("[old, API read] TASK_RUNNING -> port in data plane /v1/services");
        var vipsApiReport = new LatencyReport("[old, API read] TASK_RUNNING -> backend in data plane /vips");
        for (int i = 1; i <= events; i++)
        {
            var before = await RunningTasksAsync(http, marathon, 1, TimeSpan.FromSeconds(30));
            var beforePorts = before?.Select(t => t.Port).ToHashSet();
            if (before is null || beforePorts is null || !await WaitForDnsPortsAsync(dns, beforePorts, TimeSpan.FromSeconds(30)))
            {
                Console.WriteLine($"event {i}: /prop did not settle at one instance (running and alone in DNS) within 30 s; stopping");
                break;
            }

            // The old /vips figure tells tasks apart by port only, and the next task often reuses the killed one's.
            if (api && vip is not null && !await WaitForVipsApiPortsAsync(http, dataplane, beforePorts, TimeSpan.FromSeconds(30)))
            {
                Console.WriteLine($"event {i}: /vips still listed a killed task's backend after 30 s");
            }

            var beforeIds = before.Select(t => t.Id).ToHashSet();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15) + bound);
            await SendAsync(http, HttpMethod.Patch, $"{marathon}/v2/apps/prop", """{"instances":2}""");
            var dnsProbe = PropagationProbes.DnsAsync(dns, SrvName, beforePorts, stop.Token);
            var tally = new VipProbeTally();
            var vipProbe = vip is null ? Task.FromResult<(DateTimeOffset, string)?>(null) : PropagationProbes.VipAsync(vip, beforeIds, tally, stop.Token);
            var servicesProbe = api ? PropagationProbes.ServicesApiAsync(http, dataplane, SrvName, beforePorts, stop.Token) : Task.FromResult<(DateTimeOffset, string)?>(null);
            var vipsProbe = api && vip is not null ? PropagationProbes.VipsApiAsync(http, dataplane, beforePorts, stop.Token) : Task.FromResult<(DateTimeOffset, string)?>(null);
            var fresh = await NewTaskAsync(http, marathon, beforeIds, TimeSpan.FromSeconds(15));
            DateTimeOffset? running = fresh is null ? null : await RunningAtAsync(http, master, fresh.Value.Id);
            if (running is { } r)
            {
                // The clients only need to look until the bound past the clock start.
                var left = r + bound - DateTimeOffset.UtcNow;
                stop.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            else
            {
                stop.Cancel();
            }

            var line = new StringBuilder($"event {i}: task {fresh?.Id ?? "(none)"} port {fresh?.Port.ToString(CultureInfo.InvariantCulture) ?? "-"}");
            Record(line, "dns", dnsReport, await dnsProbe, running, fresh?.Port.ToString(CultureInfo.InvariantCulture), bound);
            if (vip is not null)
            {
                if (!Record(line, "vip", vipReport, await vipProbe, running, fresh?.Id, bound) && fresh is { } missed)
                {
                    line.Append(CultureInfo.InvariantCulture, $" [vip client: {tally.Old} answered by the old task, {tally.Failed} refused/timed out; /vips: {await BackendJsonAsync(http, dataplane, missed.Port)}]");
                }
            }

            if (api)
            {
                Record(line, "api-services", servicesApiReport, await servicesProbe, running, fresh?.Port.ToString(CultureInfo.InvariantCulture), bound);
                if (vip is not null)
                {
                    Record(line, "api-vips", vipsApiReport, await vipsProbe, running, fresh?.Port.ToString(CultureInfo.InvariantCulture), bound);
                }
            }

            Console.WriteLine(line);
            await WaitForNoDeploymentAsync(http, marathon);
            await SendAsync(http, HttpMethod.Patch, $"{marathon}/v2/apps/prop", """{"instances":1}""");
            await WaitForNoDeploymentAsync(http, marathon);
        }

        Console.WriteLine($"-- {events} scale events (1 -> 2 instances), clock start = the agent's TASK_RUNNING timestamp, miss = not seen within {bound.TotalMilliseconds:0} ms --");
        dnsReport.Print(GoalMs);
        if (vip is not null)
        {
            vipReport.Print(GoalMs);
        }

        if (api)
        {
            servicesApiReport.Print(GoalMs);
            if (vip is not null)
            {
                vipsApiReport.Print(GoalMs);
            }
        }

        Console.WriteLine("  context: Mesos-DNS polls /master/state every 60 s (refreshSeconds), Minuteman ~11 s: expected staleness up to those");
        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/prop?force=true", null);

        if (deploy > 0)
        {
            await DeployAsync(http, marathon, dataplane, deploy);
        }

        return 0;
    }

    /// <summary>One measured path of one event: a sample, or a miss (not seen, seen the wrong task, or later than the bound).</summary>
    private static bool Record(StringBuilder line, string name, LatencyReport report, (DateTimeOffset At, string Seen)? seen, DateTimeOffset? running, string? expected, TimeSpan bound)
    {
        if (seen is null || running is null)
        {
            report.Miss();
            line.Append(CultureInfo.InvariantCulture, $" {name}=miss");
            return false;
        }

        if (seen.Value.Seen != expected)
        {
            report.Miss();
            line.Append(CultureInfo.InvariantCulture, $" {name}=miss(saw {seen.Value.Seen})");
            return false;
        }

        double ms = (seen.Value.At - running.Value).TotalMilliseconds;
        if (ms > bound.TotalMilliseconds)
        {
            report.Miss();
            line.Append(CultureInfo.InvariantCulture, $" {name}=miss({ms:0.0} ms)");
            return false;
        }

        report.Add(ms);
        line.Append(CultureInfo.InvariantCulture, $" {name}={ms:0.0}ms");
        return true;
    }

    /// <summary>The balancer's view of the backend on <paramref name="port"/> (health, failures), for a miss's line.</summary>
    private static async Task<string> BackendJsonAsync(HttpClient http, string dataplane, int port)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{dataplane}/vips"));
            foreach (var vip in doc.RootElement.GetProperty("vips").EnumerateObject())
            {
                foreach (var backend in vip.Value.EnumerateObject())
                {
                    if (backend.Name.EndsWith(":" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                    {
                        return backend.Name + " " + backend.Value.GetRawText();
                    }
                }
            }

            return "not listed";
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
        {
            return "unreadable: " + ex.Message;
        }
    }

    private static async Task DeployAsync(HttpClient http, string marathon, string dataplane, int deploy)
    {
        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/bulk?force=true", null);
        var clock = Stopwatch.StartNew();
        await SendAsync(http, HttpMethod.Post, $"{marathon}/v2/apps",
            $$"""{"id":"/bulk","cmd":"sleep 3600","instances":{{deploy}},"cpus":0.01,"mem":4}""");
        TimeSpan? allRunning = null;
        TimeSpan? allInDns = null;
        while ((allRunning is null || allInDns is null) && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            if (allRunning is null && await TasksRunningAsync(http, marathon, "bulk") >= deploy)
            {
                allRunning = clock.Elapsed;
            }

            if (allInDns is null && await CountServicesAsync(http, dataplane, "_bulk._tcp.marathon.mesos.") >= deploy)
            {
                allInDns = clock.Elapsed;
            }

            await Task.Delay(100);
        }

        // 1,000 SRV answers do not fit a UDP reply, so this end is read from the data plane's API.
        Console.WriteLine($"deploy {deploy} instances: all RUNNING after {Seconds(allRunning)}, all in DNS (/v1/services) after {Seconds(allInDns)}");
        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/bulk?force=true", null);
    }

    private static async Task<IPEndPoint?> ResolveVipAsync(DnsProbeClient dns, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await dns.FirstAddressAsync(VipName, CancellationToken.None) is { } address)
            {
                return new IPEndPoint(address, 80);
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>Waits until the SRV answer at the DNS client lists exactly <paramref name="ports"/>.</summary>
    private static async Task<bool> WaitForDnsPortsAsync(DnsProbeClient dns, HashSet<int> ports, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await dns.SrvPortsAsync(SrvName, CancellationToken.None) is { } seen && ports.SetEquals(seen) && seen.Count == ports.Count)
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }

    private static async Task<bool> WaitForVipsApiPortsAsync(HttpClient http, string dataplane, HashSet<int> ports, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if ((await PropagationProbes.VipsApiPortsAsync(http, dataplane, CancellationToken.None)).All(ports.Contains))
            {
                return true;
            }

            await Task.Delay(5);
        }

        return false;
    }

    private static async Task<DateTimeOffset?> RunningAtAsync(HttpClient http, string master, string taskId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await RunningTimestamp.ReadAsync(http, master, taskId) is { } at)
            {
                return at;
            }

            await Task.Delay(20);
        }

        return null;
    }

    private readonly record struct AppTask(string Id, int Port, string State);

    /// <summary>The task of /prop not in <paramref name="before"/> once Marathon lists it (any state), or null.</summary>
    private static async Task<AppTask?> NewTaskAsync(HttpClient http, string marathon, HashSet<string> before, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var fresh = (await TasksAsync(http, marathon)).Where(t => !before.Contains(t.Id) && t.Port > 0).ToList();
            if (fresh.Count > 0)
            {
                return fresh[0];
            }

            // Marathon is the control plane's API: poll it gently so the clients measuring the event keep the CPU.
            await Task.Delay(20);
        }

        return null;
    }

    /// <summary>Waits for exactly <paramref name="count"/> tasks of /prop, all TASK_RUNNING.</summary>
    private static async Task<List<AppTask>?> RunningTasksAsync(HttpClient http, string marathon, int count, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var tasks = await TasksAsync(http, marathon);
            if (tasks.Count == count && tasks.All(t => t.State == "TASK_RUNNING"))
            {
                return tasks;
            }

            await Task.Delay(20);
        }

        return null;
    }

    private static async Task<List<AppTask>> TasksAsync(HttpClient http, string marathon)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{marathon}/v2/apps/prop/tasks"));
            var tasks = new List<AppTask>();
            foreach (var task in doc.RootElement.GetProperty("tasks").EnumerateArray())
            {
                var ports = task.GetProperty("ports");
                tasks.Add(new AppTask(
                    task.GetProperty("id").GetString() ?? "",
                    ports.GetArrayLength() > 0 ? ports[0].GetInt32() : 0,
                    task.TryGetProperty("state", out var s) ? s.GetString() ?? "" : ""));
            }

            return tasks;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
        {
            return [];
        }
    }

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "not within 10 min";

    private static async Task<int> CountServicesAsync(HttpClient http, string dataplane, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{dataplane}/v1/services/{name}"));
            return doc.RootElement.EnumerateArray().Count(s => s.TryGetProperty("port", out var p) && p.ToString().Length > 0);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>The previous scale's deployment must finish first (Marathon answers 409 otherwise); at most 30 s.</summary>
    private static async Task WaitForNoDeploymentAsync(HttpClient http, string marathon)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{marathon}/v2/deployments"));
            if (doc.RootElement.GetArrayLength() == 0)
            {
                return;
            }

            await Task.Delay(5);
        }
    }

    private static async Task<int> TasksRunningAsync(HttpClient http, string marathon, string app)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{marathon}/v2/apps/{app}"));
            return doc.RootElement.GetProperty("app").GetProperty("tasksRunning").GetInt32();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string url, string? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode && method != HttpMethod.Delete)
        {
            throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string? Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
