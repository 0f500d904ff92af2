using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>/v2/deployments</c>: list; DELETE rolls back (a new deployment) or, with force, just stops tracking.</summary>
internal static partial class MarathonApi
{
    private static void MapDeployments(WebApplication app, SchedulerCore core)
    {
        app.MapGet("/v2/deployments", context => HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
        {
            w.WriteStartArray();
            foreach (var plan in view.Deployments.Values.OrderBy(d => d.Version))
            {
                MarathonJson.WritePlan(w, plan, view.Apps);
            }

            w.WriteEndArray();
            return 0;
        })));
        app.MapDelete("/v2/deployments/{id}", (HttpContext context, string id) =>
            HttpReplies.ChangeAsync(context, core.CancelDeployment(id, HttpReplies.Flag(context, "force"))));
    }
}
