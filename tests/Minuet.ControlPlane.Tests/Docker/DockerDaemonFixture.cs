using System.Diagnostics;
using System.Formats.Tar;
using System.Net.Sockets;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>
/// A private Docker daemon for the Docker tests: a network namespace of its own, <c>dockerd</c> started in it
/// through <c>nsenter --net</c> (not <c>ip netns exec</c>, which remounts /sys and hides the cgroups) with its
/// bridge and address pool inside 198.18.0.0/15 and its data, exec root, pid file and socket under a temp dir,
/// and a busybox image built from Debian's busybox-static (<see cref="Image"/>). Disposal stops the daemon by
/// its pid, unmounts what it left, and deletes the directory and the namespace.
/// </summary>
public sealed class DockerDaemonFixture : IAsyncLifetime
{
    public const string Image = "minuet-test/busybox:1";

    /// <summary>A user-defined Docker network the daemon has.</summary>
    public const string UserNetwork = "minuet-test-apps";
    private const string Busybox = "/bin/busybox";
    private Process? _daemon;

    public DockerDaemonFixture()
    {
        string suffix = Guid.NewGuid().ToString("N")[..8];
        Netns = "minuet-dkt-" + suffix;
        Dir = Path.Combine("/tmp", "minuet-dkt-" + suffix);
    }

    public string Netns { get; }

    public string Dir { get; }

    public string Socket => Path.Combine(Dir, "docker.sock");

    /// <summary>Why the daemon did not come up (tests then fail with it); null when it runs.</summary>
    public string? StartError { get; private set; }

    /// <summary>Why Docker tests cannot run on this machine at all, or null.</summary>
    public static string? MissingTools()
    {
        if (!Privileges.ToolExists("dockerd"))
        {
            return "needs dockerd (Debian docker.io; ./test.sh installs it)";
        }

        if (!Privileges.ToolExists("nsenter"))
        {
            return "needs nsenter (util-linux)";
        }

        return File.Exists(Busybox) ? null : "needs /bin/busybox (Debian busybox-static; ./test.sh installs it)";
    }

    public async Task InitializeAsync()
    {
        if (Privileges.NetnsUnavailableReason() is not null || MissingTools() is not null)
        {
            return;
        }

        Directory.CreateDirectory(Dir);
        Run("ip", "netns", "add", Netns);
        Run("ip", "-n", Netns, "link", "set", "lo", "up");
        var info = new ProcessStartInfo("nsenter")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
                 {
                     $"--net=/var/run/netns/{Netns}", "dockerd",
                     "--bip", "198.18.200.1/24", "--default-address-pool", "base=198.18.208.0/20,size=24",
                     "--data-root", Path.Combine(Dir, "data"), "--exec-root", Path.Combine(Dir, "exec"),
                     "--pidfile", Path.Combine(Dir, "docker.pid"), "--host", "unix://" + Socket,
                     "--iptables=true", "--storage-driver", "overlay2",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var log = new System.Text.StringBuilder();
        _daemon = Process.Start(info)!;
        _daemon.OutputDataReceived += (_, e) => Append(log, e.Data);
        _daemon.ErrorDataReceived += (_, e) => Append(log, e.Data);
        _daemon.BeginOutputReadLine();
        _daemon.BeginErrorReadLine();

        using var engine = new DockerEngine(Socket);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_daemon.HasExited)
            {
                StartError = $"dockerd exited with {_daemon.ExitCode}: {Tail(log)}";
                return;
            }

            if ((await engine.PingAsync(CancellationToken.None)).Ok)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                StartError = $"dockerd did not answer on {Socket} within 60 s: {Tail(log)}";
                return;
            }

            // The socket appears once the daemon is up; there is no event to wait on from outside.
            await Task.Delay(100);
        }

        StartError = await ImportBusyboxAsync();
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            if (!_daemon.HasExited)
            {
                // dockerd stops its containers and its containerd on SIGTERM.
                Minuet.ControlPlane.Agent.Processes.AgentInterop.Kill(_daemon.Id, Minuet.ControlPlane.Agent.Processes.AgentInterop.SIGTERM);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _daemon.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _daemon.Kill(entireProcessTree: true);
                }
            }

            _daemon.Dispose();
        }

        // Mounts dockerd may leave (overlay layers, netns bind mounts, shm) under its dirs, innermost first.
        foreach (var mount in File.ReadAllLines("/proc/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(Dir + "/", StringComparison.Ordinal))
                     .OrderByDescending(m => m.Length))
        {
            Run("umount", "-l", mount);
        }

        if (Directory.Exists(Dir))
        {
            try
            {
                Directory.Delete(Dir, recursive: true);
            }
            catch (IOException)
            {
                Run("rm", "-rf", Dir);
            }
        }

        if (File.Exists(Path.Combine("/var/run/netns", Netns)))
        {
            Run("ip", "netns", "del", Netns);
        }
    }

    /// <summary>The rootfs tarball of <see cref="Image"/>: /bin/busybox, a link per applet, and /tmp, /etc, /root.</summary>
    private async Task<string?> ImportBusyboxAsync()
    {
        var applets = Output(Busybox, "--list").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "tmp/", "etc/", "root/", "www/" })
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir)
                {
                    Mode = dir == "tmp/" ? (UnixFileMode)0x3FF | UnixFileMode.StickyBit : (UnixFileMode)0x1ED,
                });
            }

            await writer.WriteEntryAsync(Busybox, "bin/busybox");
            foreach (var applet in applets.Where(a => a != "busybox"))
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = (UnixFileMode)0x1FF });
            }

            var index = new PaxTarEntry(TarEntryType.RegularFile, "www/index.html")
            {
                DataStream = new MemoryStream("hello from busybox\n"u8.ToArray()),
                Mode = (UnixFileMode)0x1A4,
            };
            await writer.WriteEntryAsync(index);
        }

        tar.Position = 0;
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://docker/") };
        using var content = new StreamContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        var (repository, tag) = ImageReference.Split(Image);
        using var response = await http.PostAsync($"images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag={tag}", content);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            return $"image import failed: {body}";
        }

        // A user-defined network for USER-mode launches, inside the daemon's pool (198.18.208.0/20).
        using var network = new StringContent($$"""{"Name":"{{UserNetwork}}","Driver":"bridge"}""", System.Text.Encoding.UTF8, "application/json");
        using var created = await http.PostAsync("networks/create", network);
        return created.IsSuccessStatusCode ? null : $"network create failed: {await created.Content.ReadAsStringAsync()}";
    }

    private static void Append(System.Text.StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Tail(System.Text.StringBuilder log)
    {
        lock (log)
        {
            string text = log.ToString();
            return text.Length > 2000 ? text[^2000..] : text;
        }
    }

    private static void Run(string program, params string[] args) => Output(program, args);

    private static string Output(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
