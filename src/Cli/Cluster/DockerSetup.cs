using Minuet.Cli.Docker;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.Cli.Cluster;

/// <summary>
/// Which Docker daemon <c>up</c>'s agents use: one that already answers (<c>--docker-socket</c>, else
/// <c>DOCKER_HOST</c>, else /var/run/docker.sock), else a <c>dockerd</c> up starts as its own supervised child with
/// everything under <c>&lt;state-dir&gt;/docker</c>, or none (<c>--no-docker</c>, or Docker not installed).
/// The dockerd up starts never takes Docker's default 172.17.0.0/16: its bridge and address pool are inside
/// 198.18.0.0/15, away from the agents' task network (198.19.128.0/20) and the VIP range.
/// </summary>
internal static class DockerSetup
{
    /// <summary>docker0's address for the dockerd up starts.</summary>
    public const string BridgeIp = "198.18.240.1/24";

    /// <summary>Where that dockerd takes user-defined networks from (198.18.224.0-198.18.239.255, /24 each).</summary>
    public const string AddressPool = "base=198.18.224.0/20,size=24";

    /// <summary>Containers get Docker's stop timeout (10 s) when dockerd stops; leave it time to stop them all.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public static string Directory(UpOptions options) => Path.Combine(options.StateDir, "docker");

    public static string Socket(UpOptions options) => Path.Combine(Directory(options), "docker.sock");

    /// <summary>The dockerd up starts: own data root, exec root, pid file and socket, bridge and pool in 198.18.0.0/15.</summary>
    public static ClusterMember DockerdMember(UpOptions options, string dockerd)
    {
        ArgumentNullException.ThrowIfNull(options);
        string dir = Directory(options);
        string socket = Socket(options);
        return new ClusterMember(
            "dockerd",
            [
                "--data-root", Path.Combine(dir, "data"), "--exec-root", Path.Combine(dir, "run"), "--pidfile", Path.Combine(dir, "docker.pid"),
                "--host", "unix://" + socket, "--bip", BridgeIp, "--default-address-pool", AddressPool,
            ],
            new Uri("unix://" + socket),
            $"docker      unix://{socket}   dockerd started by up: bridge {BridgeIp}, networks from {AddressPool}",
            Tier: -1,
            Program: dockerd,
            StopGrace: StopGrace);
    }

    /// <summary>
    /// Decides the daemon, starting dockerd when needed (added to <paramref name="started"/> to be supervised and
    /// stopped with the rest). Returns the options with <see cref="UpOptions.DockerSocket"/> set, or left null.
    /// </summary>
    public static async Task<UpOptions> PrepareAsync(
        UpOptions options, Func<ClusterMember, ChildProcess> start, List<ChildProcess> started, Action<string> say, CancellationToken cancellationToken)
    {
        if (!options.Docker)
        {
            say("minuet up: docker: off (--no-docker); Docker apps will fail to launch");
            return options;
        }

        var (socket, problem) = DockerEngine.Resolve(options.DockerSocketFlag, Environment.GetEnvironmentVariable("DOCKER_HOST"));
        if (socket is not null)
        {
            using var engine = new DockerEngine(socket, TimeSpan.FromSeconds(2));
            if (await engine.PingAsync(cancellationToken).ConfigureAwait(false))
            {
                say($"minuet up: docker: using the daemon at {socket}");
                return options with { DockerSocket = socket };
            }
        }

        string tried = socket is null ? $"DOCKER_HOST is unusable ({problem})" : $"nothing answers at {socket}";
        if (ToolRunner.Find("dockerd") is not { } dockerd)
        {
            say($"minuet up: docker: not available ({tried} and dockerd is not installed: apt-get install docker.io); Docker apps will fail to launch");
            return options;
        }

        System.IO.Directory.CreateDirectory(Directory(options));
        RemoveStalePidFile(Path.Combine(Directory(options), "docker.pid"));
        var member = DockerdMember(options, dockerd);
        var child = start(member);
        string? failure = await ReadyProbe.WaitAsync(child, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            await child.StopAsync(StopGrace).ConfigureAwait(false);
            child.Dispose();
            say($"minuet up: docker: {tried}, and the dockerd started here failed: {failure}\n  Docker apps will fail to launch; the rest of the cluster runs (--no-docker skips this)");
            return options;
        }

        started.Add(child);
        return options with { DockerSocket = Socket(options) };
    }

    /// <summary>
    /// After the dockerd up started has stopped: mounts it may leave under <c>&lt;state-dir&gt;/docker</c> (its data
    /// root bind-mounted private) are detached, so the state dir can be removed. Returns how many.
    /// </summary>
    public static async Task<int> ReleaseMountsAsync(UpOptions options)
    {
        string root = Path.GetFullPath(Directory(options)).TrimEnd('/');
        if (!File.Exists("/proc/self/mountinfo") || ToolRunner.Find("umount") is not { } umount)
        {
            return 0;
        }

        // mountinfo field 5 is the mount point (spaces escaped as \040); deepest first.
        var points = (await File.ReadAllLinesAsync("/proc/self/mountinfo").ConfigureAwait(false))
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => fields[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(point => point == root || point.StartsWith(root + "/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(point => point.Length)
            .ToList();
        int released = 0;
        foreach (var point in points)
        {
            var result = await ToolRunner.RunAsync(umount, ["-l", point], TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            released += result.Ok ? 1 : 0;
        }

        return released;
    }

    /// <summary>A pid file left by a dockerd that died without cleaning up stops the next one from starting.</summary>
    private static void RemoveStalePidFile(string pidFile)
    {
        if (File.Exists(pidFile) && (!int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid) || AgentInterop.Kill(pid, 0) != 0))
        {
            File.Delete(pidFile);
        }
    }
}
