using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>
/// <c>/health</c> (200 when the scheduler can change state, 503 naming what stops it) and <c>/metrics</c> (Marathon's
/// Dropwizard-style JSON: gauges and counters), so a store that cannot write is seen without reading logs.
/// </summary>
internal static partial class MarathonApi
{
    private static void MapHealth(WebApplication app, SchedulerCore core)
    {
        app.MapGet("/health", context =>
        {
            var fault = core.StoreFault;
            return HttpReplies.JsonAsync(context, fault is null ? 200 : 503, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("healthy", fault is null);
                w.WriteStartObject("store");
                w.WriteBoolean("writable", fault is null);
                if (fault is not null)
                {
                    w.WriteString("error", fault.Message);
                    w.WriteString("since", AppJsonWriter.Timestamp(fault.Since));
                }

                w.WriteNumber("failedWrites", core.StoreFailedWrites);
                w.WriteEndObject();
                w.WriteStartObject("master");
                w.WriteBoolean("connected", core.Connected);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
        app.MapGet("/metrics", context =>
        {
            var (apps, running, staged) = core.Read(view => (
                view.VisibleApps.Count(),
                view.VisibleApps.Sum(a => a.Tasks.Values.Count(t => t.IsRunning)),
                view.VisibleApps.Sum(a => a.Tasks.Values.Count(t => t.IsLive && !t.IsRunning))));
            var fault = core.StoreFault;
            return HttpReplies.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("version", "4.0.0");
                w.WriteStartObject("gauges");
                Gauge(w, "marathon.apps.active.gauge", apps);
                Gauge(w, "marathon.tasks.running.gauge", running);
                Gauge(w, "marathon.tasks.staged.gauge", staged);
                Gauge(w, "minuet.scheduler.store.writable.gauge", fault is null ? 1 : 0);
                Gauge(w, "minuet.scheduler.master.connected.gauge", core.Connected ? 1 : 0);
                w.WriteEndObject();
                w.WriteStartObject("counters");
                w.WriteStartObject("minuet.scheduler.store.write-failures.counter");
                w.WriteNumber("count", core.StoreFailedWrites);
                w.WriteEndObject();
                w.WriteStartObject("marathon.mesos.offers.incoming.counter");
                w.WriteNumber("count", core.OffersReceived);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartObject("histograms");
                w.WriteEndObject();
                w.WriteStartObject("meters");
                w.WriteEndObject();
                w.WriteStartObject("timers");
                w.WriteEndObject();
                w.WriteEndObject();
            });
        });
    }

    private static void Gauge(System.Text.Json.Utf8JsonWriter w, string name, long value)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", value);
        w.WriteEndObject();
    }
}
