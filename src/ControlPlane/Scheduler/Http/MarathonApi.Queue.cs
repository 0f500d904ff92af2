using Microsoft.AspNetCore.Builder;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>GET /v2/queue</c>: apps waiting for launches, with how many and their backoff; <c>DELETE /v2/queue/{id}/delay</c>.</summary>
internal static partial class MarathonApi
{
    private static void MapQueue(WebApplication app, SchedulerCore core)
    {
        app.MapDelete("/v2/queue/{**path}", context =>
        {
            var path = "/" + ((string?)context.Request.RouteValues["path"] ?? string.Empty).Trim('/');
            if (!path.EndsWith("/delay", StringComparison.Ordinal) || path.Length <= "/delay".Length)
            {
                return HttpReplies.MessageAsync(context, 404, $"/v2/queue{path} is not a resource; use DELETE /v2/queue/{{appId}}/delay");
            }

            var appId = PathIds.Parent(path);
            if (!core.ResetDelay(appId))
            {
                return HttpReplies.MessageAsync(context, 404, $"Application {appId} not found in tasks queue.");
            }

            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
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
                    QueueJson.WriteOfferFields(w, state.OfferStats);

                    w.WritePropertyName("app");
                    w.WriteStartObject();
                    AppJsonWriter.WriteFields(w, state.Definition);

                    // Why the launches keep failing (e.g. a Docker image the agent cannot find), as apps.lastTaskFailure shows it.
                    if (state.LastFailure is { } failure)
                    {
                        w.WritePropertyName("lastTaskFailure");
                        MarathonJson.WriteTaskFailure(w, failure);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                return 0;
            }));
        });
    }
}
