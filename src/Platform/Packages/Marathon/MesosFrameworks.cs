using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Marathon;

/// <summary>
/// Tears down the Mesos framework a package's scheduler registered, found by name in <c>/master/state</c>, as Cosmos
/// does after deleting a framework package's app. Mesos's operator endpoint <c>POST /master/teardown</c>
/// (form <c>frameworkId=ID</c>) is tried first; Minuet's master offers TEARDOWN on its scheduler API instead
/// (<c>POST /api/v1/scheduler/teardown</c> with <c>{"framework_id":ID}</c>), which is used when the first is absent.
/// </summary>
internal sealed class MesosFrameworks
{
    private readonly HttpClient _http;
    private readonly Uri _master;

    public MesosFrameworks(HttpClient http, Uri master)
    {
        _http = http;
        _master = master;
    }

    /// <summary>The ids of the active frameworks called <paramref name="name"/>, or null with the reason.</summary>
    public async Task<(IReadOnlyList<string>? Ids, string? Error)> FindAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            string body = await _http.GetStringAsync(new Uri(_master, "master/state"), cancellationToken).ConfigureAwait(false);
            var frameworks = JsonNode.Parse(body)?["frameworks"] as JsonArray ?? [];
            var ids = frameworks.OfType<JsonObject>()
                .Where(f => f["name"]?.GetValue<string>() == name)
                .Select(f => f["id"]!.GetValue<string>()).ToList();
            return (ids, null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or TaskCanceledException)
        {
            return (null, e.Message);
        }
    }

    public async Task<string?> TeardownAsync(string frameworkId, CancellationToken cancellationToken)
    {
        try
        {
            using var form = new FormUrlEncodedContent([KeyValuePair.Create("frameworkId", frameworkId)]);
            using var mesos = await _http.PostAsync(new Uri(_master, "master/teardown"), form, cancellationToken).ConfigureAwait(false);
            if (mesos.IsSuccessStatusCode)
            {
                return null;
            }

            using var call = new StringContent(new JsonObject { ["framework_id"] = frameworkId }.ToJsonString(), Encoding.UTF8, "application/json");
            using var minuet = await _http.PostAsync(new Uri(_master, "api/v1/scheduler/teardown"), call, cancellationToken).ConfigureAwait(false);
            return minuet.IsSuccessStatusCode ? null : $"the master answered {(int)mesos.StatusCode} and {(int)minuet.StatusCode}: {await minuet.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return e.Message;
        }
    }
}
