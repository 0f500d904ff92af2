using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// The fixed start of every configuration: marathon-lb's global and defaults sections for HAProxy 2.6, without its Lua
/// (Minuet's controller answers those paths over a unix socket), plus <c>hard-stop-after</c> so reloads under long
/// connections do not pile up old workers, and retries that move to another server at once (<c>redispatch 1</c>,
/// <c>retry-on conn-failure empty-response junk-response</c>): a task that dies before its server leaves (killed without a
/// drain, or crashed) refuses or drops requests, and those are replayed on a live server instead of failing. Only
/// failures without a usable response are retried; a 5xx the app itself answered is passed on as is.
/// </summary>
internal static class ConfigHead
{
    /// <summary>The longest unix socket path Linux takes (<c>sun_path</c> is 108 bytes with its NUL).</summary>
    private const int MaxSocketPath = 107;

    public static string StatsSocket(string dir) => Path.Combine(SocketDir(dir), "haproxy.sock");

    public static string ServerStateFile(string dir) => Path.Combine(dir, "server-state");

    public static string ControlSocket(string dir) => Path.Combine(SocketDir(dir), "control.sock");

    /// <summary>
    /// Where the two sockets live: DIR itself, or, when DIR is too deep for a socket path (a task's sandbox, as in the
    /// marathon-lb package), a short directory named for DIR's hash under /tmp, so one DIR always maps to one place.
    /// </summary>
    public static string SocketDir(string dir)
    {
        if (Encoding.UTF8.GetByteCount(Path.Combine(dir, "haproxy.sock")) <= MaxSocketPath)
        {
            return dir;
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dir)))[..16];
        return "/tmp/minuet-edgelb-" + hash;
    }

    public static string Render(GeneratorOptions o)
    {
        string dir = o.HaproxyDir;
        return string.Create(CultureInfo.InvariantCulture, $"""
            global
              spread-checks 5
              max-spread-checks 15000
              hard-stop-after {o.HardStopAfterSeconds}s
              stats socket {StatsSocket(dir)} mode 600 level admin expose-fd listeners
              stats timeout 2m
              server-state-file {ServerStateFile(dir)}
              tune.ssl.default-dh-param 2048
              ssl-default-bind-options no-sslv3 no-tlsv10 no-tls-tickets
            defaults
              load-server-state-from-file global
              retries                   3
              backlog               10000
              maxconn               10000
              timeout connect          3s
              timeout client          30s
              timeout server          30s
              timeout tunnel        3600s
              timeout http-keep-alive  1s
              timeout http-request    15s
              timeout queue           30s
              timeout tarpit          60s
              option            dontlognull
              option            http-server-close
              option            redispatch 1
              retry-on          conn-failure empty-response junk-response
            listen stats
              bind 0.0.0.0:{o.StatsPort}
              balance
              mode http
              stats enable
              monitor-uri /_haproxy_health_check
              http-request use-service prometheus-exporter if {"{"} path /metrics/haproxy {"}"}
              acl mlb_control path /metrics /_haproxy_getconfig /_haproxy_getpids /_mlb_signal/hup /_mlb_signal/usr1
              use_backend mlb_control if mlb_control

            backend mlb_control
              mode http
              server control unix@{ControlSocket(dir)}

            """);
    }
}
