using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.Ha;

namespace Minuet.ControlPlane.Api;

/// <summary>
/// The one place that keeps a standby master from acting, as Mesos's followers do. Every route except the read-only
/// ones below answers 307 with a scheme-less <c>Location: //leaderip:port/same/path?query</c> when the leader is
/// known, else 503 <c>no_leader</c>; so routes added later are covered without edits. A standby's
/// <c>/master/state</c> names the leader and holds no agents, frameworks or tasks; <c>/master/redirect</c> answers
/// 307 to the leader on every master. On the leader each request is tied to the term: when the term ends, its
/// long-lived requests (scheduler subscriptions, endpoint streams) are cut so their clients find the new leader.
/// </summary>
internal static class LeaderGate
{
    public const string RedirectPath = "/master/redirect";
    public const string NoLeaderCode = "no_leader";
    public const string RoleHeader = "X-Minuet-Role";

    private static readonly HashSet<string> StatePaths = new(StringComparer.OrdinalIgnoreCase) { "/master/state", "/state", "/state.json", "/master/state.json" };
    private static readonly string[] EmptyLists = ["slaves", "frameworks", "completed_frameworks", "unregistered_frameworks", "orphan_tasks"];
    private static readonly HashSet<string> AlwaysServed = new(StringComparer.OrdinalIgnoreCase) { "/health", "/master/health", "/metrics", "/metrics/snapshot" };

    /// <summary>Installs the gate and <c>/master/redirect</c>; <paramref name="leadership"/> null means a single master that always leads.</summary>
    public static void Map(WebApplication app, MasterCore master, MasterLeadership? leadership)
    {
        app.MapGet(RedirectPath, async context =>
        {
            if (leadership is not null && context.Request.Query.ContainsKey(WaitParameter))
            {
                if (!TryParseWait(context.Request.Query[WaitParameter], out var wait, out var error))
                {
                    await HttpJson.WriteErrorAsync(context, MasterError.Field(WaitParameter, error!)).ConfigureAwait(false);
                    return;
                }

                await leadership.LeaderOtherThanAsync(context.Request.Query[UnlessParameter].ToString(), wait, context.RequestAborted).ConfigureAwait(false);
                context.Response.Headers[RoleHeader] = leadership.IsLeader ? "leader" : "standby"; // it may have changed meanwhile
            }

            var target = leadership is null ? MasterLeaderInfo.Of(master.MasterId, master.Options) : leadership.Leader;
            await (target is null ? NoLeaderAsync(context) : RedirectAsync(context, target, "")).ConfigureAwait(false);
        });

        if (leadership is null)
        {
            return;
        }

        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "/";
            bool leading = leadership.IsLeader;
            context.Response.Headers[RoleHeader] = leading ? "leader" : "standby";
            if (leading || path.Equals(RedirectPath, StringComparison.OrdinalIgnoreCase) || AlwaysServed.Contains(path) && !IsHealth(path))
            {
                await RunInTermAsync(context, next, leading ? leadership.Term : CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (StatePaths.Contains(path) && HttpMethods.IsGet(context.Request.Method))
            {
                await FollowerStateAsync(context, master, leadership).ConfigureAwait(false);
            }
            else if (IsHealth(path))
            {
                await StandbyHealthAsync(context, leadership).ConfigureAwait(false);
            }
            else if (leadership.Leader is { } leader)
            {
                await RedirectAsync(context, leader, path + context.Request.QueryString).ConfigureAwait(false);
            }
            else
            {
                await NoLeaderAsync(context).ConfigureAwait(false);
            }
        });
    }

    /// <summary>
    /// <c>/master/redirect?wait_secs=N&amp;unless=ip:port</c> (a Minuet extension; Mesos masters ignore it and answer at
    /// once): hold the answer up to N seconds until this master names a leader other than <c>unless</c> (none given:
    /// any leader). Followers use it during an election instead of polling every master.
    /// </summary>
    public const string WaitParameter = "wait_secs";

    public const string UnlessParameter = "unless";

    /// <summary>Longest hold: a few lease TTLs; a follower asks again after it.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    internal static bool TryParseWait(string? text, out TimeSpan wait, out string? error)
    {
        wait = TimeSpan.Zero;
        error = null;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > MaxWait.TotalSeconds)
        {
            error = $"'{text}' is not a number of seconds from 0 to {MaxWait.TotalSeconds:0}";
            return false;
        }

        wait = TimeSpan.FromSeconds(seconds);
        return true;
    }

    private static bool IsHealth(string path) => path.EndsWith("/health", StringComparison.OrdinalIgnoreCase);

    private static async Task RunInTermAsync(HttpContext context, RequestDelegate next, CancellationToken term)
    {
        if (!term.CanBeCanceled)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The term may already be over between the check and here: then this request is cut at once.
        using var cut = term.Register(static c => ((HttpContext)c!).Abort(), context);
        await next(context).ConfigureAwait(false);
    }

    private static Task RedirectAsync(HttpContext context, MasterLeaderInfo leader, string pathAndQuery)
    {
        context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = $"//{leader.Authority}{pathAndQuery}";
        return Task.CompletedTask;
    }

    private static Task NoLeaderAsync(HttpContext context) =>
        HttpJson.WriteErrorAsync(context, new MasterError(503, NoLeaderCode, "no leading master is known right now (an election is under way); retry shortly"));

    private static async Task StandbyHealthAsync(HttpContext context, MasterLeadership leadership)
    {
        context.Response.ContentType = "application/json";
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("healthy", true);
            w.WriteString("role", "standby");
            if (leadership.Leader is { } leader)
            {
                w.WriteString("leader", leader.Pid);
            }
            else
            {
                w.WriteNull("leader");
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Mesos's follower answer: who this master is and who leads; no elected_time, no cluster contents.</summary>
    private static async Task FollowerStateAsync(HttpContext context, MasterCore master, MasterLeadership leadership)
    {
        var options = master.Options;
        var leader = leadership.Leader;
        context.Response.ContentType = "application/json";
        await WriteJsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", Master.State.MasterStateWriter.MesosVersion);
            w.WriteString("minuet_version", "0.1.0");
            w.WriteNumber("start_time", MasterCore.Seconds(master.StartTime));
            w.WriteString("id", master.MasterId);
            w.WriteString("pid", options.LeaderPid);
            w.WriteString("hostname", options.Hostname);
            if (leader is not null)
            {
                w.WriteString("leader", leader.Pid);
                w.WriteStartObject("leader_info");
                w.WriteString("id", leader.Id);
                w.WriteString("pid", leader.Pid);
                w.WriteString("hostname", leader.Hostname);
                w.WriteString("ip", leader.Ip);
                w.WriteString("address", leader.Ip);
                w.WriteNumber("port", leader.Port);
                w.WriteEndObject();
            }

            w.WriteNumber("activated_slaves", 0);
            w.WriteNumber("deactivated_slaves", 0);
            w.WriteNumber("unreachable_slaves", 0);
            foreach (var empty in EmptyLists)
            {
                w.WriteStartArray(empty);
                w.WriteEndArray();
            }

            w.WriteStartObject("flags");
            w.WriteEndObject();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
