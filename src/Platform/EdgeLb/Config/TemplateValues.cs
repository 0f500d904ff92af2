using System.Globalization;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>The placeholder values marathon-lb's <c>config()</c> passes to each template (see <see cref="Templates"/>).</summary>
internal static class TemplateValues
{
    /// <summary>For FRONTEND_HEAD, BACKEND_HEAD, FRONTEND_BACKEND_GLUE and HTTP_FRONTEND_APPID_ACL.</summary>
    public static Dictionary<string, string> ForService(EdgeService app, string backend, string mode) => new(StringComparer.Ordinal)
    {
        ["backend"] = backend,
        ["bindAddr"] = app.BindAddr,
        ["servicePort"] = app.ServicePort.ToString(CultureInfo.InvariantCulture),
        ["sslCert"] = app.SslCert is null ? "" : " ssl crt " + app.SslCert,
        ["bindOptions"] = app.BindOptions is null ? "" : " " + app.BindOptions,
        ["mode"] = mode,
        ["balance"] = app.Balance,
        ["cleanedUpAppId"] = ServerIds.Clean(app.AppId),
        ["hostname"] = app.Hostname ?? "",
        ["appId"] = app.AppId,
    };

    public static Dictionary<string, string> ForUserlist(string backend, HttpAuth auth) => new(StringComparer.Ordinal)
    {
        ["backend"] = backend, ["user"] = auth.User, ["passwd"] = auth.PasswordHash,
    };

    /// <summary>marathon-lb's <c>_get_health_check_options</c>: the first check's fields, falls = failures + 1.</summary>
    public static Dictionary<string, string> ForHealthCheck(MarathonHealthCheck check) => new(StringComparer.Ordinal)
    {
        ["healthCheckPortIndex"] = check.PortIndex?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["healthCheckPort"] = check.Port?.ToString(CultureInfo.InvariantCulture) ?? "",
        ["healthCheckProtocol"] = check.Protocol,
        ["healthCheckPath"] = check.Path,
        ["healthCheckTimeoutSeconds"] = check.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        ["healthCheckIntervalSeconds"] = check.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        ["healthCheckGracePeriodSeconds"] = check.GracePeriodSeconds.ToString(CultureInfo.InvariantCulture),
        ["healthCheckMaxConsecutiveFailures"] = check.MaxConsecutiveFailures.ToString(CultureInfo.InvariantCulture),
        ["healthCheckFalls"] = (check.MaxConsecutiveFailures + 1).ToString(CultureInfo.InvariantCulture),
        ["healthCheckPortOptions"] = check.Port is > 0 ? " port " + check.Port.Value.ToString(CultureInfo.InvariantCulture) : "",
    };
}
