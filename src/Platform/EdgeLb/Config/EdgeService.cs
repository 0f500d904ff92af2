namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// One load-balanced service: an app's service port with its labels applied (marathon-lb's <c>MarathonService</c>).
/// <see cref="Mode"/> is null until the renderer resolves it (http with a vhost, else tcp).
/// </summary>
internal sealed class EdgeService(string appId, int servicePort)
{
    public string AppId { get; } = appId;

    public int ServicePort { get; set; } = servicePort;

    public IReadOnlyList<string> Groups { get; set; } = [];

    /// <summary><c>HAPROXY_{n}_GROUP</c>; when set it replaces <see cref="Groups"/> for this port.</summary>
    public IReadOnlyList<string>? PortGroups { get; set; }

    public string? Hostname { get; set; }

    public string? Path { get; set; }

    public string? Mode { get; set; }

    public string Balance { get; set; } = "roundrobin";

    public bool Sticky { get; set; }

    public bool RedirectToHttps { get; set; }

    public bool Enabled { get; set; } = true;

    public int BackendWeight { get; set; }

    public string BindAddr { get; set; } = "*";

    public string? SslCert { get; set; }

    public string? BindOptions { get; set; }

    public MarathonHealthCheck? HealthCheck { get; set; }

    public List<BackendServer> Backends { get; } = [];

    /// <summary><c>HAPROXY_{n}_AUTH</c>: basic auth on the vhost routes (marathon-lb applies it nowhere else).</summary>
    public HttpAuth? Auth { get; set; }

    /// <summary>Per-app template overrides (<c>HAPROXY_{n}_FRONTEND_HEAD</c>...), by template name; see <see cref="Config.Templates"/>.</summary>
    public Dictionary<string, string> Templates { get; } = new(StringComparer.Ordinal);

    /// <summary>marathon-lb's backend and frontend name: the app id without its leading slash, <c>/</c> → <c>_</c>, then the port.</summary>
    public string BackendName => AppId[1..].Replace('/', '_') + "_" + ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One server of a backend: the agent's name, the address traffic goes to, the port, and whether it drains.</summary>
internal sealed record BackendServer(string Host, string Ip, int Port, bool Draining);
