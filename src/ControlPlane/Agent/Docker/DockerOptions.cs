namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>The agent's Docker containerizer settings (<c>--containerizers</c>, <c>--docker-socket</c>, <c>--docker-allow-privileged</c>).</summary>
internal sealed record DockerOptions
{
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>True: <c>docker</c> named in <c>--containerizers</c>; null: used when the socket answers at start.</summary>
    public bool? Enabled { get; init; }

    public string Socket { get; init; } = DefaultSocket;

    public bool AllowPrivileged { get; init; }

    /// <summary>
    /// The network namespace the daemon's containers live in when it is not the agent's own (a daemon started in a
    /// namespace): TCP/HTTP health probes are made from there. Null = the agent's namespace.
    /// </summary>
    public string? ProbeNetns { get; init; }

    /// <summary><c>--docker-socket</c>, else <c>DOCKER_HOST</c> (<c>unix://</c> only), else /var/run/docker.sock.</summary>
    public static (string? Path, string? Error) ResolveSocket(string? flag, string? dockerHost)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            string path = flag.StartsWith("unix://", StringComparison.Ordinal) ? flag["unix://".Length..] : flag;
            return path.StartsWith('/') ? (path, null) : (null, $"--docker-socket: '{flag}' is not an absolute Unix socket path");
        }

        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            return dockerHost.StartsWith("unix:///", StringComparison.Ordinal)
                ? (dockerHost["unix://".Length..], null)
                : (null, $"DOCKER_HOST: '{dockerHost}' is not a unix:///path socket (the agent speaks to Docker only over a Unix socket); set --docker-socket");
        }

        return (DefaultSocket, null);
    }

    /// <summary>Parses <c>--containerizers</c>: a comma list of <c>mesos</c> and <c>docker</c>.</summary>
    public static (bool Mesos, bool Docker, string? Error) ParseContainerizers(string value)
    {
        bool mesos = false, docker = false;
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case "mesos":
                    mesos = true;
                    break;
                case "docker":
                    docker = true;
                    break;
                default:
                    return (false, false, $"--containerizers: '{part}' is not mesos or docker");
            }
        }

        return mesos || docker ? (mesos, docker, null) : (false, false, "--containerizers: name at least one of mesos, docker");
    }
}
