using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>What the API needs besides the core: where it is reached (for <c>/v2/leader</c>) and where the master is.</summary>
internal sealed record MarathonApiContext(SchedulerCore Core, Func<string> Leader, string Master);

/// <summary>Marathon's <c>/v2</c> REST API on Kestrel (docs/docs/rest-api/public/api/*.raml): one partial per resource.</summary>
internal static partial class MarathonApi
{
    public const string Version = "1.11.0-minuet";

    public static void Map(WebApplication app, MarathonApiContext api)
    {
        app.MapGet("/ping", () => Results.Text("pong", "text/plain"));
        app.MapGet("/v2/leader", context => api.Core.Connected
            ? HttpReplies.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("leader", api.Leader());
                w.WriteEndObject();
            })
            : HttpReplies.MessageAsync(context, 404, "There is no leader"));
        app.MapGet("/v2/info", context => InfoAsync(context, api));
        MapApps(app, api.Core);
        MapTasks(app, api.Core);
        MapDeployments(app, api.Core);
        MapGroups(app, api.Core);
        MapEvents(app, api.Core);
        MapQueue(app, api.Core);
        MapPods(app);
        MapHealth(app, api.Core);
    }

    private static Task InfoAsync(HttpContext context, MarathonApiContext api) => HttpReplies.JsonAsync(context, 200, w =>
    {
        var options = api.Core.Options;
        w.WriteStartObject();
        w.WriteString("name", options.FrameworkName);
        w.WriteString("version", Version);
        w.WriteString("buildref", "minuet");
        w.WriteBoolean("elected", api.Core.Connected);
        w.WriteString("leader", api.Leader());
        if (api.Core.FrameworkId is { } id)
        {
            w.WriteString("frameworkId", id);
        }
        else
        {
            w.WriteNull("frameworkId");
        }

        w.WriteStartObject("marathon_config");
        w.WriteString("master", api.Master);
        w.WriteString("framework_name", options.FrameworkName);
        w.WriteString("mesos_role", options.Role);
        w.WriteString("hostname", options.Hostname);
        w.WriteNumber("local_port_min", Apps.AppDefaults.ServicePortMin);
        w.WriteNumber("local_port_max", Apps.AppDefaults.ServicePortMax);
        w.WriteNumber("task_launch_timeout", (long)options.TaskLaunchTimeout.TotalMilliseconds);
        w.WriteEndObject();
        w.WriteStartObject("zookeeper_config");
        w.WriteEndObject();
        w.WriteStartObject("http_config");
        w.WriteString("http_address", api.Leader());
        w.WriteEndObject();
        w.WriteEndObject();
    });
}
