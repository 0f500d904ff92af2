using System.Net;
using System.Text.Json;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// The clients that watch one scale event end, each polling about every millisecond until it sees something that
/// was not there before the event (a port or a task id outside the pre-event set), or until cancelled.
/// </summary>
internal static class PropagationProbes
{
    /// <summary>A DNS client asking SRV <paramref name="srvName"/> until an answer carries a port not in <paramref name="before"/>.</summary>
    public static async Task<(DateTimeOffset At, string Seen)?> DnsAsync(DnsProbeClient dns, string srvName, IReadOnlySet<int> before, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var ports = await dns.SrvPortsAsync(srvName, cancel);
                var at = DateTimeOffset.UtcNow;
                if (ports?.FirstOrDefault(p => !before.Contains(p)) is int port and > 0)
                {
                    return (at, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                await Task.Delay(1, cancel);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Connects to the VIP until a connection is answered by a task not in <paramref name="before"/>.</summary>
    public static async Task<(DateTimeOffset At, string Seen)?> VipAsync(IPEndPoint vip, IReadOnlySet<string> before, VipProbeTally tally, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var answer = await VipProbe.AskAsync(vip, cancel);
                if (answer is null)
                {
                    tally.Failed++;
                }
                else if (!before.Contains(answer.Value.Backend))
                {
                    return (answer.Value.ConnectedAt, answer.Value.Backend);
                }
                else
                {
                    tally.Old++;
                }

                await Task.Delay(1, cancel);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The old figure: the data plane's HTTP API (<c>/v1/services</c>) listing a port not in <paramref name="before"/>.</summary>
    public static Task<(DateTimeOffset At, string Seen)?> ServicesApiAsync(HttpClient http, string dataplane, string srvName, IReadOnlySet<int> before, CancellationToken cancel) =>
        NewApiPortAsync(http, $"{dataplane}/v1/services/{srvName}.", ServicePorts, before, cancel);

    /// <summary>The old figure: the data plane's <c>/vips</c> listing a backend whose port is not in <paramref name="before"/>.</summary>
    public static Task<(DateTimeOffset At, string Seen)?> VipsApiAsync(HttpClient http, string dataplane, IReadOnlySet<int> before, CancellationToken cancel) =>
        NewApiPortAsync(http, $"{dataplane}/vips", VipBackendPorts, before, cancel);

    private static async Task<(DateTimeOffset At, string Seen)?> NewApiPortAsync(
        HttpClient http, string url, Func<JsonElement, List<int>> portsOf, IReadOnlySet<int> before, CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                var ports = await ApiPortsAsync(http, url, portsOf, cancel);
                var at = DateTimeOffset.UtcNow;
                if (ports.FirstOrDefault(p => !before.Contains(p)) is int port and > 0)
                {
                    return (at, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                await Task.Delay(1, cancel);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The backend ports <c>/vips</c> lists now (a killed task's backend can stay listed a moment after DNS drops it).</summary>
    public static Task<List<int>> VipsApiPortsAsync(HttpClient http, string dataplane, CancellationToken cancel) =>
        ApiPortsAsync(http, $"{dataplane}/vips", VipBackendPorts, cancel);

    private static async Task<List<int>> ApiPortsAsync(HttpClient http, string url, Func<JsonElement, List<int>> read, CancellationToken cancel)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(url, cancel));
            return read(doc.RootElement);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return [];
        }
    }

    private static List<int> ServicePorts(JsonElement root) =>
        [.. root.EnumerateArray().Select(s => s.TryGetProperty("port", out var p) && int.TryParse(p.ToString(), out int v) ? v : 0)];

    private static List<int> VipBackendPorts(JsonElement root)
    {
        var ports = new List<int>();
        foreach (var vip in root.GetProperty("vips").EnumerateObject())
        {
            foreach (var backend in vip.Value.EnumerateObject())
            {
                int colon = backend.Name.LastIndexOf(':');
                ports.Add(colon > 0 && int.TryParse(backend.Name.AsSpan(colon + 1), out int v) ? v : 0);
            }
        }

        return ports;
    }
}

/// <summary>What the VIP client met before the new task answered: printed with a miss, to tell a slow table from a benched backend.</summary>
internal sealed class VipProbeTally
{
    public int Old { get; set; }

    public int Failed { get; set; }
}
