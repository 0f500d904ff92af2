using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api;

/// <summary>
/// <c>/health</c> (and <c>/master/health</c>): 200 <c>ok</c> while the master can record changes; 503 with a JSON
/// body naming the condition while its store refuses writes (the master keeps serving reads and retries on its
/// own). <c>/metrics/snapshot</c> (and <c>/metrics</c>): Mesos-style flat JSON keys.
/// </summary>
internal static class MasterHealthEndpoints
{
    public static void Map(WebApplication app, MasterCore master)
    {
        app.MapGet("/health", context => HealthAsync(context, master));
        app.MapGet("/master/health", context => HealthAsync(context, master));
        app.MapGet("/metrics", context => MetricsAsync(context, master));
        app.MapGet("/metrics/snapshot", context => MetricsAsync(context, master));
    }

    private static async Task HealthAsync(HttpContext context, MasterCore master)
    {
        var store = master.StoreHealth.Current;
        if (store.IsHealthy)
        {
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 503;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteBoolean("healthy", false);
            w.WriteString("message", store.Error);
            w.WriteStartObject("store");
            w.WriteBoolean("healthy", false);
            w.WriteString("error", store.Error);
            w.WriteNumber("since", store.Since is { } since ? MasterCore.Seconds(since) : 0);
            w.WriteNumber("pending_writes", store.PendingWrites);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task MetricsAsync(HttpContext context, MasterCore master)
    {
        var m = master.Metrics;
        var store = master.StoreHealth.Current;
        var counts = master.Read(core =>
        {
            int agentsActive = core.Agents.Values.Count(a => a.Status == AgentStatus.Active);
            int frameworksConnected = core.Frameworks.Values.Count(f => f.Connected);
            int offers = core.Frameworks.Values.Sum(f => f.Offers.Count);
            int staging = core.Tasks.Values.Count(t => t.State == TaskState.Staging);
            int running = core.Tasks.Values.Count(t => t.State == TaskState.Running);
            return (agentsActive, frameworksConnected, offers, staging, running, (DateTimeOffset.UtcNow - core.StartTime).TotalSeconds);
        });

        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("master/uptime_secs", Math.Round(counts.Item6, 3));
            w.WriteNumber("master/elected", master.IsStandby ? 0 : 1);
            w.WriteNumber("master/slaves_active", counts.agentsActive);
            w.WriteNumber("master/frameworks_connected", counts.frameworksConnected);
            w.WriteNumber("master/outstanding_offers", counts.offers);
            w.WriteNumber("master/tasks_staging", counts.staging);
            w.WriteNumber("master/tasks_running", counts.running);
            w.WriteNumber("master/offers_sent", m.OffersSent.Value);
            w.WriteNumber("master/offers_rescinded_timeout", m.OffersRescindedTimeout.Value);
            w.WriteNumber("master/accepts_refused", m.AcceptsRefused.Value);
            w.WriteNumber("master/tasks_invalid", m.TasksInvalid.Value);
            w.WriteNumber("master/status_updates_refused", m.StatusUpdatesRefused.Value);
            w.WriteNumber("master/frameworks_disconnected_slow", m.FrameworksDisconnectedSlow.Value);
            w.WriteNumber("master/http_requests_too_large", m.RequestsTooLarge.Value);
            w.WriteNumber("registrar/store_healthy", store.IsHealthy ? 1 : 0);
            w.WriteNumber("registrar/store_write_failures", m.StoreWriteFailures.Value);
            w.WriteNumber("registrar/store_pending_writes", store.PendingWrites);
            w.WriteNumber("registrar/state_fetch_ms", m.StateFetchMs.Value);
            w.WriteNumber("master/state_recover_ms", m.StateRecoverMs.Value);
            w.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
