using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// <c>propagation --marathon URL --dataplane URL [--events 100] [--deploy 1000] [--vips]</c> (bench/scripts/propagation.sh):
/// scales an app up one instance at a time and measures, per event, task RUNNING (Marathon's <c>startedAt</c>) to the
/// task's SRV answer in the data plane (<c>/v1/services</c>, the snapshot DNS answers from) and, with <c>--vips</c>,
/// its backend in <c>/vips</c>; polled every millisecond. Then times a deployment of N instances to all running and
/// all in DNS. Mesos-DNS polls every 60 s by default and Minuteman about every 11 s: the context for the numbers.
/// </summary>
internal static class PropagationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        string marathon = Arg(args, "--marathon") ?? "http://127.0.0.1:8080";
        string dataplane = Arg(args, "--dataplane") ?? "http://127.0.0.1:61421";
        int events = int.Parse(Arg(args, "--events") ?? "100", CultureInfo.InvariantCulture);
        int deploy = int.Parse(Arg(args, "--deploy") ?? "1000", CultureInfo.InvariantCulture);
        bool vips = args.Contains("--vips");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/prop?force=true", null);
        await SendAsync(http, HttpMethod.Post, $"{marathon}/v2/apps",
            """{"id":"/prop","cmd":"sleep 3600","instances":0,"cpus":0.01,"mem":4,"portDefinitions":[{"port":0,"labels":{"VIP_0":"/prop:80"}}]}""");
        var dnsLatencies = new List<double>();
        var vipLatencies = new List<double>();
        for (int i = 1; i <= events; i++)
        {
            await WaitForNoDeploymentAsync(http, marathon);
            await SendAsync(http, HttpMethod.Patch, $"{marathon}/v2/apps/prop", $"{{\"instances\":{i}}}");
            DateTimeOffset? dnsSeen = null;
            DateTimeOffset? vipSeen = vips ? null : DateTimeOffset.MinValue;
            var deadline = Stopwatch.StartNew();
            while ((dnsSeen is null || vipSeen is null) && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (dnsSeen is null && await CountServicesAsync(http, dataplane, "_prop._tcp.marathon.mesos.") >= i)
                {
                    dnsSeen = DateTimeOffset.UtcNow;
                }

                if (vipSeen is null && await CountVipBackendsAsync(http, dataplane) >= i)
                {
                    vipSeen = DateTimeOffset.UtcNow;
                }

                await Task.Delay(1);
            }

            var running = await NewestStartedAtAsync(http, marathon);
            if (dnsSeen is null || running is null)
            {
                Console.WriteLine($"event {i}: not seen within 60 s");
                continue;
            }

            dnsLatencies.Add((dnsSeen.Value - running.Value).TotalMilliseconds);
            if (vips && vipSeen is not null)
            {
                vipLatencies.Add((vipSeen.Value - running.Value).TotalMilliseconds);
            }
        }

        Report("task RUNNING -> SRV answer in the data plane", dnsLatencies);
        if (vips)
        {
            Report("task RUNNING -> VIP backend in /vips", vipLatencies);
        }

        Console.WriteLine("  context: Mesos-DNS polls /master/state every 60 s (refreshSeconds), Minuteman ~11 s: expected staleness up to those");
        await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/prop?force=true", null);

        if (deploy > 0)
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

            Console.WriteLine($"deploy {deploy} instances: all RUNNING after {Seconds(allRunning)}, all in DNS after {Seconds(allInDns)}");
            await SendAsync(http, HttpMethod.Delete, $"{marathon}/v2/apps/bulk?force=true", null);
        }

        return 0;
    }

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "not within 10 min";

    private static void Report(string what, List<double> samples)
    {
        if (samples.Count == 0)
        {
            Console.WriteLine($"{what}: no samples");
            return;
        }

        samples.Sort();
        double P(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: n={samples.Count} p50={P(0.5):0.0} ms p99={P(0.99):0.0} ms max={samples[^1]:0.0} ms (goal p99 < 100 ms)"));
    }

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

    private static async Task<int> CountVipBackendsAsync(HttpClient http, string dataplane)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync($"{dataplane}/vips"));
            int count = 0;
            foreach (var vip in doc.RootElement.GetProperty("vips").EnumerateObject())
            {
                count += vip.Value.EnumerateObject().Count();
            }

            return count;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or TaskCanceledException)
        {
            return 0;
        }
    }

    private static async Task<DateTimeOffset?> NewestStartedAtAsync(HttpClient http, string marathon)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{marathon}/v2/apps/prop/tasks"));
        DateTimeOffset? newest = null;
        foreach (var task in doc.RootElement.GetProperty("tasks").EnumerateArray())
        {
            if (task.TryGetProperty("startedAt", out var started) && started.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(started.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                && (newest is null || at > newest))
            {
                newest = at;
            }
        }

        return newest;
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
