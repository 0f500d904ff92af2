using Microsoft.AspNetCore.Builder;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>GET /v2/queue</c>: apps waiting for launches, with how many and their backoff.</summary>
internal static partial class MarathonApi
{
    private static void MapQueue(WebApplication app, SchedulerCore core) =>
        app.MapGet("/v2/queue", context =>
        {
            var now = DateTimeOffset.UtcNow;
            var waiting = core.Read(view => view.VisibleApps.Select(a => (App: a, Wanted: core.WantedUnlocked(a.Definition.Id))).Where(x => x.Wanted > 0).ToList());
            return HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
            {
                w.WriteStartObject();
                w.WriteStartArray("queue");
                foreach (var (state, wanted) in waiting)
                {
                    w.WriteStartObject();
                    w.WriteNumber("count", wanted);
                    w.WriteStartObject("delay");
                    var remaining = state.NextLaunchAt - now;
                    w.WriteBoolean("overdue", remaining <= TimeSpan.Zero);
                    w.WriteNumber("timeLeftSeconds", Math.Max(0, (int)Math.Ceiling(remaining.TotalSeconds)));
                    w.WriteEndObject();
                    w.WritePropertyName("app");
                    w.WriteStartObject();
                    AppJsonWriter.WriteFields(w, state.Definition);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                return 0;
            }));
        });
}
