using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Minuet.Platform.EdgeLb.Autoscale;

/// <summary>
/// marathon-lb-autoscale's loop: every interval sample every HAProxy, read the apps' instance counts from
/// <c>GET /v2/apps</c>, let <see cref="AutoscalePolicy"/> decide, and <c>PUT /v2/apps/{id} {"instances":n}</c>.
/// A failed sample or Marathon call is logged and the loop goes on.
/// </summary>
internal sealed class Autoscaler(AutoscaleOptions options, IStatsSource stats, Uri marathon, HttpClient http, ILogger log, TimeProvider time)
{
    private readonly AutoscalePolicy _policy = new(options);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        do
        {
            await StepAsync(cancellationToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One interval; returns the scale changes it sent (app id → instances).</summary>
    public async Task<Dictionary<string, int>> StepAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var samples = await stats.SampleAsync(problems, cancellationToken).ConfigureAwait(false);
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            foreach (var (name, rate) in sample)
            {
                rates[name] = rates.GetValueOrDefault(name) + rate;
            }
        }

        if (samples.Count > 0)
        {
            foreach (string name in options.Apps.Where(a => !rates.ContainsKey(a)))
            {
                problems.Add($"frontend {name} is not in HAProxy's stats (--apps takes APPID_SERVICEPORT as edge-lb names it, e.g. nginx_10000; an app with no serving task has none)");
            }
        }

        var (instances, ids) = await ReadInstancesAsync(problems, cancellationToken).ConfigureAwait(false);
        foreach (string p in problems)
        {
            EdgeLbLog.AutoscaleProblem(log, p);
        }

        var decisions = _policy.Step(rates, instances, time.GetUtcNow());
        var sent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, target) in decisions)
        {
            string id = ids[key];
            try
            {
                using var response = await http.PutAsJsonAsync(new Uri(marathon, "v2/apps" + id), new { instances = target }, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    EdgeLbLog.AutoscaleProblem(log, $"PUT /v2/apps{id}: HTTP {(int)response.StatusCode}");
                    continue;
                }

                double average = options.Apps.Where(a => AutoscalePolicy.AppKey(a) == key).Max(_policy.Average);
                EdgeLbLog.Scaled(log, id, instances[key], target, average, options.Samples);
                sent[id] = target;
            }
            catch (HttpRequestException e)
            {
                EdgeLbLog.AutoscaleProblem(log, $"PUT /v2/apps{id}: {e.Message}");
            }
        }

        return sent;
    }

    /// <summary>Instances per app key (id without the leading slash, <c>/</c> → <c>_</c>) and the real id behind each key.</summary>
    private async Task<(Dictionary<string, int> Instances, Dictionary<string, string> Ids)> ReadInstancesAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var instances = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(marathon, "v2/apps"), cancellationToken).ConfigureAwait(false));
            foreach (var app in doc.RootElement.GetProperty("apps").EnumerateArray())
            {
                string id = app.GetProperty("id").GetString()!;
                string key = id.TrimStart('/').Replace('/', '_');
                instances[key] = app.TryGetProperty("instances", out var n) && n.TryGetInt32(out int i) ? i : 0;
                ids[key] = id;
            }
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            problems.Add($"{marathon}v2/apps: {e.Message}");
        }

        return (instances, ids);
    }
}
