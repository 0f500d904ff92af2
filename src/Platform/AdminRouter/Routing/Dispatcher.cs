using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Minuet.Platform.AdminRouter.Auth;
using Minuet.Platform.AdminRouter.Services;
using Minuet.Platform.AdminRouter.Users;
using Minuet.Platform.Ui.Hosting;
using Yarp.ReverseProxy.Forwarder;

namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// Admin Router's request path, in nginx's order: refuse dot segments; the anonymous locals (login, logout,
/// version); bare prefixes 301 to the slash form; then the token check for every other route, and only then the
/// upstream (a static route, <c>/service/&lt;name&gt;</c>, or the local users API). Nothing is forwarded before the
/// token is good. Forwarding is YARP's <see cref="IHttpForwarder"/>: streamed both ways (SSE and WebSockets pass
/// through unbuffered), one destination per request.
/// </summary>
internal sealed class Dispatcher(
    AdminRouterOptions options, IHttpForwarder forwarder, HttpMessageInvoker upstreams, HttpMessageInvoker lookups,
    MasterLeader leader, ServiceCache services, AcsApi acs, ValidatedTokens validated, TimeProvider time, ILogger log)
{
    private const string ServicePrefix = "/service/";
    private const string AgentPrefix = "/agent/";

    // Plain requests: YARP's 100 s idle limit. Streams (SSE, WebSockets) stay open while idle for a day.
    private static readonly ForwarderRequestConfig Plain = new() { ActivityTimeout = TimeSpan.FromSeconds(100) };
    private static readonly ForwarderRequestConfig Streaming = new() { ActivityTimeout = TimeSpan.FromDays(1) };

    public async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path;
        if (PathGuard.Check(raw) is { } bad)
        {
            await TextAsync(context, 400, "400 Bad Request: " + bad + ".").ConfigureAwait(false);
            return;
        }

        switch (path)
        {
            case AcsApi.LoginPath:
                await acs.LoginAsync(context).ConfigureAwait(false);
                return;
            case AcsApi.LogoutPath:
                await AcsApi.LogoutAsync(context).ConfigureAwait(false);
                return;
            case "/dcos-metadata/dcos-version.json":
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(VersionJson, context.RequestAborted).ConfigureAwait(false);
                return;
        }

        if (RouteTable.BareRedirects.Contains(path)
            || (path.StartsWith(ServicePrefix, StringComparison.Ordinal) && path.IndexOf('/', ServicePrefix.Length) < 0 && ServiceResolver.IsName(path[ServicePrefix.Length..])))
        {
            Redirect(context, path + "/");
            return;
        }

        var route = RouteTable.Match(path);
        // A static route under /service/ (the jobs service as metronome) wins over Marathon's apps of that name.
        bool isService = route is null && path.StartsWith(ServicePrefix, StringComparison.Ordinal);
        bool isUsers = path == AcsApi.UsersPath || path.StartsWith(AcsApi.UsersPath + "/", StringComparison.Ordinal);
        bool isAgent = path.StartsWith(AgentPrefix, StringComparison.Ordinal);
        if (route is null && !isService && !isUsers && !isAgent)
        {
            if (UiStaticFiles.Owns(path))
            {
                await UiStaticFiles.ServeAsync(context).ConfigureAwait(false);
                return;
            }

            await TextAsync(context, 404, "404 Not Found.").ConfigureAwait(false);
            return;
        }

        if (options.Auth && route is not { Anonymous: true } && !await AuthenticatedAsync(context, path).ConfigureAwait(false))
        {
            await Unauthorized.WriteAsync(context).ConfigureAwait(false);
            return;
        }

        if (isUsers)
        {
            await acs.UsersAsync(context, path.Length > AcsApi.UsersPath.Length ? path[(AcsApi.UsersPath.Length + 1)..] : string.Empty).ConfigureAwait(false);
        }
        else if (isAgent)
        {
            await AgentAsync(context, path[AgentPrefix.Length..]).ConfigureAwait(false);
        }
        else if (isService)
        {
            await ServiceAsync(context, path[ServicePrefix.Length..]).ConfigureAwait(false);
        }
        else
        {
            await StaticAsync(context, route!, path).ConfigureAwait(false);
        }
    }

    private async Task StaticAsync(HttpContext context, StaticRoute route, string path)
    {
        Uri? upstream = route.Upstream switch
        {
            Upstream.LeadingMaster => await leader.CurrentAsync(context.RequestAborted).ConfigureAwait(false),
            Upstream.Marathon => options.Marathon,
            Upstream.Cosmos => options.Cosmos,
            Upstream.Metronome => options.Metronome,
            _ => options.DnsApi,
        };
        if (upstream is null)
        {
            await TextAsync(context, 503, "503 Service Unavailable: no master is leading.").ConfigureAwait(false);
            return;
        }

        string upstreamPath = route.UpstreamPrefix + path[route.Prefix.Length..];
        if (!await ForwardAsync(context, upstream, route.Prefix, route.UpstreamPrefix, upstreamPath, clearAcceptEncoding: false).ConfigureAwait(false)
            && route.Upstream == Upstream.LeadingMaster)
        {
            leader.Forget();
        }
    }

    /// <summary>DC/OS's <c>/agent/&lt;agent-id&gt;/...</c>: the agent's own API (its <c>/files/*</c> sandboxes), prefix stripped.</summary>
    private async Task AgentAsync(HttpContext context, string afterPrefix)
    {
        int slash = afterPrefix.IndexOf('/', StringComparison.Ordinal);
        string id = slash < 0 ? afterPrefix : afterPrefix[..slash];
        var master = AgentLocator.IsId(id) ? await leader.CurrentAsync(context.RequestAborted).ConfigureAwait(false) : null;
        var agent = master is null ? null : await AgentLocator.FindAsync(lookups, master, id, context.RequestAborted).ConfigureAwait(false);
        if (agent is null)
        {
            await TextAsync(context, 404, "404 Not Found: no such agent.").ConfigureAwait(false);
            return;
        }

        string rest = slash < 0 ? "/" : afterPrefix[slash..];
        await ForwardAsync(context, agent, AgentPrefix + id + "/", "/", rest, clearAcceptEncoding: false).ConfigureAwait(false);
    }

    private async Task ServiceAsync(HttpContext context, string afterPrefix)
    {
        var resolution = ServiceResolver.Resolve(services.Current, afterPrefix, time.GetUtcNow(), options.ServiceCacheLimit);
        var target = resolution.Target;
        if (resolution.Outcome == ServiceOutcome.NeedsSrv)
        {
            target = await SrvLookup.FindAsync(lookups, options.DnsApi, resolution.Name, context.RequestAborted).ConfigureAwait(false);
        }

        switch (resolution.Outcome)
        {
            case ServiceOutcome.Stale:
                await TextAsync(context, 503, "503 Service Unavailable: the service cache is out of date (Marathon or the master cannot be read).").ConfigureAwait(false);
                return;
            case ServiceOutcome.AddSlash:
                Redirect(context, ServicePrefix + resolution.Name + "/");
                return;
            case ServiceOutcome.NotFound:
            case ServiceOutcome.NeedsSrv when target is null:
                await TextAsync(context, 404, "404 Not Found: service not found.").ConfigureAwait(false);
                return;
        }

        string upstreamPrefix = target!.AbsolutePath;
        string upstreamPath = upstreamPrefix + resolution.Rest.TrimStart('/');
        await ForwardAsync(context, target, ServicePrefix + resolution.Name + "/", upstreamPrefix, upstreamPath, clearAcceptEncoding: true).ConfigureAwait(false);
    }

    private async Task<bool> ForwardAsync(HttpContext context, Uri upstream, string publicPrefix, string upstreamPrefix, string upstreamPath, bool clearAcceptEncoding)
    {
        // A token that came in the cookie goes upstream as the header DC/OS components read.
        string? cookieToken = options.Auth && context.Request.Headers.Authorization.Count == 0
            && context.Request.Cookies.TryGetValue(TokenSource.CookieName, out var c) && c.Length > 0 ? c : null;
        var transformer = new RouteTransformer(upstream, publicPrefix, upstreamPrefix, upstreamPath, cookieToken, clearAcceptEncoding);
        bool streaming = context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)
            || context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true };
        string destination = upstream.GetLeftPart(UriPartial.Authority) + "/";
        var error = await forwarder.SendAsync(context, destination, upstreams, streaming ? Streaming : Plain, transformer).ConfigureAwait(false);
        if (error == ForwarderError.None)
        {
            return true;
        }

        var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        AdminRouterLog.ForwardFailed(log, context.Request.Path.Value ?? "/", destination, failure?.Message ?? error.ToString());
        if (!context.Response.HasStarted)
        {
            int status = context.Response.StatusCode is 502 or 504 ? context.Response.StatusCode : 502;
            await TextAsync(context, status, $"{status} Bad Gateway: {destination} did not answer ({error}).").ConfigureAwait(false);
        }

        return false;
    }

    private async Task<bool> AuthenticatedAsync(HttpContext context, string path)
    {
        string? token = TokenSource.Read(context.Request, out string? problem);
        if (token is not null && validated.Find(token) is { } known)
        {
            context.User = known;
            return true;
        }

        var result = problem is null && token is not null
            ? await context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme).ConfigureAwait(false)
            : AuthenticateResult.Fail(problem ?? "no token");
        if (result.Succeeded)
        {
            context.User = result.Principal;
            validated.Add(token!, result.Principal, ExpiresOf(result.Principal));
            return true;
        }

        AdminRouterLog.Refused(log, path, result.Failure?.Message ?? "no token");
        return false;
    }

    private static DateTimeOffset? ExpiresOf(System.Security.Claims.ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst("exp")?.Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp) + JwtSetup.ClockSkew
            : null;

    private static void Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers.Location = location + context.Request.QueryString;
    }

    private static Task TextAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    private static readonly string VersionJson = JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["version"] = typeof(Dispatcher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        ["dcos-variant"] = "minuet",
    });
}
