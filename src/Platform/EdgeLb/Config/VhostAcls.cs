using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// The <c>:80</c> and <c>:443</c> frontend lines for one service with <c>HAPROXY_{n}_VHOST</c>, as marathon-lb's
/// <c>generateHttpVhostAcl</c> writes them (without map files): a host ACL named after the first vhost and the app, an
/// optional <c>path_beg</c> ACL, a basic-auth challenge with <c>HAPROXY_{n}_AUTH</c>, and either a <c>use_backend</c>
/// or, with <c>REDIRECT_TO_HTTPS</c>, a 301 to https. Every piece is a <see cref="Templates"/> entry the app may override.
/// </summary>
internal static class VhostAcls
{
    public static (string Http, string Https) Render(EdgeService app, string backend)
    {
        string[] vhosts = app.Hostname!.Split(',');
        string acl = ServerIds.Clean(vhosts[0]) + "_" + app.AppId[1..].Replace('/', '_');
        bool path = app.Path is not null;
        bool auth = app.Auth is not null;
        var http = new StringBuilder();
        var https = new StringBuilder();
        string T(string name, string hostname) => Templates.Render(app, name, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cleanedUpHostname"] = acl, ["hostname"] = hostname, ["appId"] = app.AppId, ["realm"] = app.Auth?.Realm ?? "",
            ["backend"] = backend, ["path"] = app.Path ?? "", ["bindAddr"] = app.BindAddr,
        });

        if (vhosts.Length > 1)
        {
            if (path)
            {
                http.Append(T(auth ? "HTTP_FRONTEND_ACL_ONLY_WITH_PATH_AND_AUTH" : "HTTP_FRONTEND_ACL_ONLY_WITH_PATH", vhosts[0]));
                https.Append(T("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH", vhosts[0]));
            }

            foreach (string vhost in vhosts)
            {
                http.Append(T("HTTP_FRONTEND_ACL_ONLY", vhost));
                https.Append(T((path, auth) switch
                {
                    (true, true) => "HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH",
                    (true, false) => "HTTPS_FRONTEND_ACL_WITH_PATH",
                    (false, true) => "HTTPS_FRONTEND_ACL_WITH_AUTH",
                    (false, false) => "HTTPS_FRONTEND_ACL",
                }, vhost));
            }

            http.Append(T((app.RedirectToHttps, path, auth) switch
            {
                (true, true, _) => "BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH",
                (true, false, _) => "BACKEND_REDIRECT_HTTP_TO_HTTPS",
                (false, true, true) => "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH_AND_AUTH",
                (false, true, false) => "HTTP_FRONTEND_ROUTING_ONLY_WITH_PATH",
                (false, false, true) => "HTTP_FRONTEND_ROUTING_ONLY_WITH_AUTH",
                (false, false, false) => "HTTP_FRONTEND_ROUTING_ONLY",
            }, vhosts[0]));
            return (http.ToString(), https.ToString());
        }

        string host = vhosts[0];
        if (path)
        {
            if (app.RedirectToHttps)
            {
                http.Append(T("HTTP_FRONTEND_ACL_ONLY", host)).Append(T("HTTP_FRONTEND_ACL_ONLY_WITH_PATH", host))
                    .Append(T("BACKEND_REDIRECT_HTTP_TO_HTTPS_WITH_PATH", host));
            }
            else
            {
                http.Append(T(auth ? "HTTP_FRONTEND_ACL_WITH_AUTH_AND_PATH" : "HTTP_FRONTEND_ACL_WITH_PATH", host));
            }

            https.Append(T("HTTPS_FRONTEND_ACL_ONLY_WITH_PATH", host))
                .Append(T(auth ? "HTTPS_FRONTEND_ACL_WITH_AUTH_AND_PATH" : "HTTPS_FRONTEND_ACL_WITH_PATH", host));
        }
        else
        {
            http.Append(app.RedirectToHttps
                ? T("HTTP_FRONTEND_ACL", host) + T("BACKEND_REDIRECT_HTTP_TO_HTTPS", host)
                : T(auth ? "HTTP_FRONTEND_ACL_WITH_AUTH" : "HTTP_FRONTEND_ACL", host));
            https.Append(T(auth ? "HTTPS_FRONTEND_ACL_WITH_AUTH" : "HTTPS_FRONTEND_ACL", host));
        }

        return (http.ToString(), https.ToString());
    }
}
