using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>
/// <c>/v2/pods</c>: Minuet runs no pods, so listing answers an empty list as Marathon does when there are none (tools
/// that list everything call it), a pod is never found, and creating or changing one is refused with 422 saying so.
/// </summary>
internal static partial class MarathonApi
{
    private const string PodsRefusal = "pods are not supported: Minuet runs apps; send a definition with cmd or args to /v2/apps";

    private static void MapPods(WebApplication app)
    {
        app.MapGet("/v2/pods", context => EmptyListAsync(context));
        app.MapGet("/v2/pods/::status", context => EmptyListAsync(context));
        app.MapPost("/v2/pods", context => RefusePodAsync(context));
        app.MapMethods("/v2/pods/{**path}", ["GET", "PUT", "PATCH", "POST", "DELETE"], context =>
        {
            var id = "/" + ((string?)context.Request.RouteValues["path"] ?? string.Empty).Trim('/');
            return context.Request.Method is "PUT" or "PATCH" or "POST"
                ? RefusePodAsync(context)
                : HttpReplies.MessageAsync(context, 404, $"Pod '{id.Replace("::status", string.Empty, StringComparison.Ordinal)}' does not exist");
        });
    }

    private static Task EmptyListAsync(HttpContext context) => HttpReplies.JsonAsync(context, 200, w =>
    {
        w.WriteStartArray();
        w.WriteEndArray();
    });

    private static Task RefusePodAsync(HttpContext context) =>
        HttpReplies.MessageAsync(context, 422, "Object is not valid", [new FieldError("/", [PodsRefusal])]);
}
