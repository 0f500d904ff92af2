using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// The <c>:80</c> and <c>:443</c> frontend lines for one service with <c>HAPROXY_{n}_VHOST</c> (marathon-lb's
/// <c>generateHttpVhostAcl</c> without auth and map files): a host ACL named after the first vhost and the app, an
/// optional <c>path_beg</c> ACL, and either a <c>use_backend</c> or, with <c>REDIRECT_TO_HTTPS</c>, a 301 to https.
/// </summary>
internal static class VhostAcls
{
    public static (string Http, string Https) Render(EdgeService app, string backend)
    {
        string hostnames = app.Hostname!;
        string[] vhosts = hostnames.Split(',');
        string acl = ServerIds.Clean(vhosts[0]) + "_" + app.AppId[1..].Replace('/', '_');
        var http = new StringBuilder();
        var https = new StringBuilder();
        string? path = app.Path;
        if (vhosts.Length > 1)
        {
            if (path is not null)
            {
                http.Append($"  acl path_{backend} path_beg {path}\n");
                https.Append($"  acl path_{backend} path_beg {path}\n");
            }

            foreach (string vhost in vhosts)
            {
                http.Append($"  acl host_{acl} hdr(host) -i {vhost}\n");
                https.Append(path is null
                    ? $"  use_backend {backend} if {{ ssl_fc_sni {vhost} }}\n"
                    : $"  use_backend {backend} if {{ ssl_fc_sni {vhost} }} path_{backend}\n");
            }

            http.Append((app.RedirectToHttps, path is not null) switch
            {
                (true, true) => $"  redirect scheme https code 301 if !{{ ssl_fc }} host_{acl} path_{backend}\n",
                (true, false) => $"  redirect scheme https code 301 if !{{ ssl_fc }} host_{acl}\n",
                (false, true) => $"  use_backend {backend} if host_{acl} path_{backend}\n",
                (false, false) => $"  use_backend {backend} if host_{acl}\n",
            });
            return (http.ToString(), https.ToString());
        }

        string host = hostnames;
        if (path is not null)
        {
            http.Append($"  acl host_{acl} hdr(host) -i {host}\n  acl path_{backend} path_beg {path}\n");
            http.Append(app.RedirectToHttps
                ? $"  redirect scheme https code 301 if !{{ ssl_fc }} host_{acl} path_{backend}\n"
                : $"  use_backend {backend} if host_{acl} path_{backend}\n");
            https.Append($"  acl path_{backend} path_beg {path}\n  use_backend {backend} if {{ ssl_fc_sni {host} }} path_{backend}\n");
        }
        else
        {
            http.Append($"  acl host_{acl} hdr(host) -i {host}\n  use_backend {backend} if host_{acl}\n");
            if (app.RedirectToHttps)
            {
                http.Append($"  redirect scheme https code 301 if !{{ ssl_fc }} host_{acl}\n");
            }

            https.Append($"  use_backend {backend} if {{ ssl_fc_sni {host} }}\n");
        }

        return (http.ToString(), https.ToString());
    }
}
