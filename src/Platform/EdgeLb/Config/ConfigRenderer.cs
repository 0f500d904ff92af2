using System.Globalization;
using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// Renders services into HAProxy configuration text the way marathon-lb's <c>config()</c> does, so names, ACLs, server
/// ids and ordering match what operators know: fixed frontends (<c>:80</c> vhosts, <c>:9091</c> by
/// <c>X-Marathon-App-Id</c>, <c>:443</c> by SNI), then one frontend and one backend per service, sorted by app id and
/// service port. Pure: same services and options, same text.
/// </summary>
internal static class ConfigRenderer
{
    /// <summary>Balance algorithms whose backends accept <c>add server</c>/<c>del server</c> in HAProxy 2.6.</summary>
    private static readonly HashSet<string> DynamicAlgorithms = new(StringComparer.Ordinal) { "roundrobin", "leastconn", "first", "random" };

    public static GeneratedConfig Render(IEnumerable<EdgeService> services, GeneratorOptions options)
    {
        var groups = options.Groups.ToHashSet(StringComparer.Ordinal);
        var http = new StringBuilder("\nfrontend marathon_http_in\n  bind *:80\n  mode http\n");
        var appId = new StringBuilder("\nfrontend marathon_http_appid_in\n  bind *:9091\n  mode http\n");
        string[] certs = (options.SslCerts ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var https = new StringBuilder($"\nfrontend marathon_https_in\n  bind *:443 ssl {string.Join(' ', certs.Select(c => "crt " + c))}\n  mode http\n");
        var httpAcls = new List<(int Weight, string Text)>();
        var httpsAcls = new List<(int Weight, string Text)>();
        var appIdsDone = new HashSet<string>(StringComparer.Ordinal);
        var frontends = new StringBuilder();
        var userlists = new StringBuilder();
        var backendBlocks = new List<(string Head, BackendPlan Plan)>();
        var included = new List<EdgeService>();

        foreach (var app in services.OrderBy(s => s.AppId, StringComparer.Ordinal).ThenBy(s => s.ServicePort))
        {
            var appGroups = app.PortGroups is { Count: > 0 } ? app.PortGroups : app.Groups;
            if (!(groups.Contains("*") || appGroups.Any(groups.Contains)) || !app.Enabled || app.Backends.Count == 0)
            {
                continue;
            }

            included.Add(app);
            string backend = app.BackendName;
            string mode = app.Mode ?? (app.Hostname is not null ? "http" : "tcp");
            var values = TemplateValues.ForService(app, backend, mode);
            if (app.Auth is { } auth)
            {
                userlists.Append(Templates.Render(app, Templates.UserlistHead, TemplateValues.ForUserlist(backend, auth)));
            }

            frontends.Append(Templates.Render(app, Templates.FrontendHead, values));
            var head = new StringBuilder(Templates.Render(app, Templates.BackendHead, values));
            if (options.BindHttpHttps && app.Hostname is not null)
            {
                var (httpPart, httpsPart) = VhostAcls.Render(app, backend);
                httpAcls.Add((app.BackendWeight, httpPart));
                httpsAcls.Add((app.BackendWeight, httpsPart));
            }

            if (mode == "http" && appIdsDone.Add(app.AppId))
            {
                appId.Append(Templates.Render(app, Templates.HttpFrontendAppIdAcl, values));
            }

            if (mode == "http")
            {
                head.Append(Templates.Render(app, Templates.BackendHttpOptions, values));
            }

            if (app.Sticky)
            {
                head.Append(Templates.Render(app, Templates.BackendStickyOptions, values));
            }

            frontends.Append(Templates.Render(app, Templates.FrontendBackendGlue, values));
            var check = app.HealthCheck;
            bool tcpCheck = check is not null && (mode == "tcp" || check.IsTcp);
            if (check is not null && (tcpCheck || mode == "http"))
            {
                head.Append(Templates.Render(app, tcpCheck ? Templates.BackendTcpHealthcheckOptions : Templates.BackendHttpHealthcheckOptions,
                    TemplateValues.ForHealthCheck(check)));
            }

            string checkOptions = check is null ? "" : string.Create(CultureInfo.InvariantCulture,
                $" check inter {check.IntervalSeconds}s fall {check.MaxConsecutiveFailures + 1}{(check.Port is > 0 ? " port " + check.Port : "")}");
            var taken = new HashSet<int>();
            var servers = new List<ServerLine>();
            foreach (var server in app.Backends.OrderBy(b => b.Host, StringComparer.Ordinal).ThenBy(b => b.Port))
            {
                string name = ServerIds.ServerName(server);
                int id = ServerIds.Calculate(name, taken);
                string cookie = app.Sticky ? " check cookie " + ServerIds.Cookie(name) : "";
                servers.Add(new ServerLine(name, $"{server.Ip}:{server.Port.ToString(CultureInfo.InvariantCulture)}",
                    $"id {id.ToString(CultureInfo.InvariantCulture)}{cookie}{checkOptions}", server.Draining));
            }

            bool dynamic = !app.Sticky && DynamicAlgorithms.Contains(app.Balance.Split(' ')[0]);
            backendBlocks.Add((head.ToString(), new BackendPlan(backend, dynamic, servers)));
        }

        foreach (var acl in httpAcls.OrderByDescending(a => a.Weight))
        {
            http.Append(acl.Text);
        }

        foreach (var acl in httpsAcls.OrderByDescending(a => a.Weight))
        {
            https.Append(acl.Text);
        }

        var prefix = new StringBuilder(ConfigHead.Render(options)).Append(userlists);
        if (options.BindHttpHttps)
        {
            prefix.Append(http);
        }

        prefix.Append(appId);
        if (options.BindHttpHttps && certs.Length > 0)
        {
            prefix.Append(https);
        }

        prefix.Append(frontends);
        var text = new StringBuilder(prefix.ToString());
        var skeleton = prefix;
        foreach (var (head, plan) in backendBlocks)
        {
            text.Append(head);
            skeleton.Append(head);
            foreach (var server in plan.Servers)
            {
                text.Append(server.Render());
            }
        }

        return new GeneratedConfig(text.ToString(), skeleton.ToString(), backendBlocks.ToDictionary(b => b.Plan.Name, b => b.Plan, StringComparer.Ordinal), included);
    }
}
