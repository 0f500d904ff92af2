namespace Minuet.Platform.EdgeLb.Config;

/// <summary>What shapes the generated configuration besides the apps (marathon-lb's command-line options).</summary>
internal sealed record GeneratorOptions
{
    /// <summary><c>--group</c>: services whose group is one of these are served; <c>*</c> serves every app.</summary>
    public required IReadOnlyList<string> Groups { get; init; }

    /// <summary>False with <c>--dont-bind-http-https</c>: no <c>:80</c> and <c>:443</c> frontends.</summary>
    public bool BindHttpHttps { get; init; } = true;

    /// <summary><c>--ssl-certs</c> (comma list); the <c>:443</c> frontend exists only when certificates are given.</summary>
    public string? SslCerts { get; init; }

    /// <summary>Where the stats socket, server-state file and control socket live (<c>--haproxy-dir</c>).</summary>
    public string HaproxyDir { get; init; } = "/var/run/haproxy";

    public int StatsPort { get; init; } = 9090;

    /// <summary>Old workers holding long connections are stopped this long after a reload (HAProxy's <c>hard-stop-after</c>).</summary>
    public int HardStopAfterSeconds { get; init; } = 60;
}
