namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// marathon-lb's per-app templates (config.py, <c>overridable=True</c>): the default text of each piece the renderer
/// writes, and the placeholders it may use. An app overrides one for service port n with the label
/// <c>HAPROXY_{n}_&lt;NAME&gt;</c>; the text is a Python <c>str.format</c> string (<c>{backend}</c>, <c>{{</c> for a brace).
/// </summary>
internal static class Templates
{
    public const string FrontendHead = "FRONTEND_HEAD";
    public const string BackendHead = "BACKEND_HEAD";
    public const string FrontendBackendGlue = "FRONTEND_BACKEND_GLUE";
    public const string BackendHttpOptions = "BACKEND_HTTP_OPTIONS";
    public const string BackendStickyOptions = "BACKEND_STICKY_OPTIONS";
    public const string BackendHttpHealthcheckOptions = "BACKEND_HTTP_HEALTHCHECK_OPTIONS";
    public const string BackendTcpHealthcheckOptions = "BACKEND_TCP_HEALTHCHECK_OPTIONS";
    public const string HttpFrontendAppIdAcl = "HTTP_FRONTEND_APPID_ACL";
    public const string UserlistHead = "USERLIST_HEAD";

    private static readonly string[] HealthCheckKeys =
    [
        "healthCheckPortIndex", "healthCheckPort", "healthCheckProtocol", "healthCheckPath", "healthCheckTimeoutSeconds",
        "healthCheckIntervalSeconds", "healthCheckGracePeriodSeconds", "healthCheckMaxConsecutiveFailures", "healthCheckFalls",
        "healthCheckPortOptions",
    ];

    /// <summary>Every vhost ACL template gets the same values (marathon-lb passes a subset per call, and fails on the rest).</summary>
    public static readonly string[] VhostKeys = ["cleanedUpHostname", "hostname", "appId", "realm", "backend", "path", "bindAddr"];

    private static readonly Dictionary<string, (string Text, string[] Keys)> Known = new(StringComparer.Ordinal)
    {
        [FrontendHead] = ("\nfrontend {backend}\n  bind {bindAddr}:{servicePort}{sslCert}{bindOptions}\n  mode {mode}\n",
            ["backend", "bindAddr", "servicePort", "sslCert", "bindOptions", "mode"]),
        [BackendHead] = ("\nbackend {backend}\n  balance {balance}\n  mode {mode}\n", ["backend", "balance", "mode"]),
        [FrontendBackendGlue] = ("  use_backend {backend}\n", ["backend"]),
        [BackendHttpOptions] = ("  option forwardfor\n  http-request set-header X-Forwarded-Port %[dst_port]\n  http-request add-header X-Forwarded-Proto https if {{ ssl_fc }}\n", []),
        [BackendStickyOptions] = ("  cookie mesosphere_server_id insert indirect nocache\n", []),
        [BackendHttpHealthcheckOptions] = ("  option  httpchk GET {healthCheckPath}\n  timeout check {healthCheckTimeoutSeconds}s\n", HealthCheckKeys),
        [BackendTcpHealthcheckOptions] = ("", HealthCheckKeys),
        [HttpFrontendAppIdAcl] = ("  acl app_{cleanedUpAppId} hdr(x-marathon-app-id) -i {appId}\n  use_backend {backend} if app_{cleanedUpAppId}\n",
            ["cleanedUpAppId", "hostname", "appId", "backend"]),
        [UserlistHead] = ("\nuserlist user_{backend}\n  user {user} password {passwd}\n", ["backend", "user", "passwd"]),
        ["HTTP_FRONTEND_ACL"] = ("  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n  use_backend {backend} if host_{cleanedUpHostname}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_WITH_AUTH"] = ("  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}\n  use_backend {backend} if host_{cleanedUpHostname}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_ONLY"] = ("  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n", VhostKeys),
        ["HTTP_FRONTEND_ROUTING_ONLY"] = ("  use_backend {backend} if host_{cleanedUpHostname}\n", VhostKeys),
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH"] = ("  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} !auth_{cleanedUpHostname}\n  use_backend {backend} if host_{cleanedUpHostname}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_WITH_PATH"] = ("  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n  acl path_{backend} path_beg {path}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH"] = ("  acl host_{cleanedUpHostname} hdr(host) -i {hostname}\n  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  acl path_{backend} path_beg {path}\n  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_ONLY_WITH_PATH"] = ("  acl path_{backend} path_beg {path}\n", VhostKeys),
        ["HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH"] = ("  acl path_{backend} path_beg {path}\n  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n", VhostKeys),
        ["HTTPS_FRONTEND_ACL_ONLY_WITH_PATH"] = ("  acl path_{backend} path_beg {path}\n", VhostKeys),
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH"] = ("  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n", VhostKeys),
        ["HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH"] = ("  http-request auth realm \"{realm}\" if host_{cleanedUpHostname} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if host_{cleanedUpHostname} path_{backend}\n", VhostKeys),
        ["HTTPS_FRONTEND_ACL"] = ("  use_backend {backend} if {{ ssl_fc_sni {hostname} }}\n", VhostKeys),
        ["HTTPS_FRONTEND_ACL_WITH_AUTH"] = ("  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if {{ ssl_fc_sni {hostname} }} !auth_{cleanedUpHostname}\n  use_backend {backend} if {{ ssl_fc_sni {hostname} }}\n", VhostKeys),
        ["HTTPS_FRONTEND_ACL_WITH_PATH"] = ("  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}\n", VhostKeys),
        ["HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH"] = ("  acl auth_{cleanedUpHostname} http_auth(user_{backend})\n"
            + "  http-request auth realm \"{realm}\" if {{ ssl_fc_sni {hostname} }} path_{backend} !auth_{cleanedUpHostname}\n"
            + "  use_backend {backend} if {{ ssl_fc_sni {hostname} }} path_{backend}\n", VhostKeys),
        ["BACKEND_REDIRECT_HTTP_TO_HTTPS"] = ("  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname}\n", VhostKeys),
        ["BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH"] = ("  redirect scheme https code 301 if !{{ ssl_fc }} host_{cleanedUpHostname} path_{backend}\n", VhostKeys),
    };

    /// <summary>
    /// Overridable in marathon-lb but not here: server lines are what HAProxy's runtime API adds and removes without a
    /// reload, so they keep one fixed shape. An app asking for them is left out rather than served differently from
    /// what its labels say.
    /// </summary>
    private static readonly HashSet<string> Refused = new(StringComparer.Ordinal)
    {
        "BACKEND_SERVER_OPTIONS", "BACKEND_SERVER_HTTP_HEALTHCHECK_OPTIONS", "BACKEND_SERVER_TCP_HEALTHCHECK_OPTIONS",
    };

    /// <summary>Whether <c>HAPROXY_{n}_&lt;name&gt;</c> is a template label this generator reads (or refuses).</summary>
    public static bool IsTemplate(string name) => Known.ContainsKey(name) || Refused.Contains(name);

    /// <summary>Checks an override (CRLF read as LF, as marathon-lb does) and stores it; the problem, or null.</summary>
    public static string? Set(EdgeService service, string name, string raw)
    {
        if (Refused.Contains(name))
        {
            return "server-line templates are not supported (servers are added and removed through HAProxy's runtime API)";
        }

        string text = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Contains('\0', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            return "must not contain NUL or a bare carriage return";
        }

        var keys = Known[name].Keys;
        string? problem = TemplateText.Check(text, keys);
        if (problem is not null)
        {
            return problem + (keys.Length == 0 ? " (this template takes no placeholders)" : $" (placeholders: {string.Join(", ", keys.Select(k => "{" + k + "}"))})");
        }

        service.Templates[name] = text;
        return null;
    }

    /// <summary>The service's override of <paramref name="name"/>, else marathon-lb's default, filled in.</summary>
    public static string Render(EdgeService service, string name, IReadOnlyDictionary<string, string> values) =>
        TemplateText.Format(service.Templates.TryGetValue(name, out string? text) ? text : Known[name].Text, values);
}
