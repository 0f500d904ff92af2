using System.Diagnostics;
using Minuet.Cli.Docker;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.Docker;

/// <summary>
/// A <c>dockerd</c> of a test's own, in a network namespace created here (entered with <c>nsenter --net</c>, not
/// <c>ip netns exec</c>, which remounts /sys and hides the cgroups dockerd needs), with its own data root, exec
/// root, pid file and socket, docker0 at 198.18.x.1/24. Disposal stops it (and its containers) and deletes it all.
/// </summary>
internal sealed class NetnsDockerd : IDisposable
{
    private readonly Process _dockerd;

    private NetnsDockerd(string ns, string dir, Process dockerd)
    {
        Namespace = ns;
        Dir = dir;
        _dockerd = dockerd;
    }

    public string Namespace { get; }

    public string Dir { get; }

    public string Socket => Path.Combine(Dir, "docker.sock");

    public string LogPath => Path.Combine(Dir, "dockerd.log");

    /// <summary>Starts it with docker0 on 198.18.<paramref name="subnet"/>.1/24 and waits until it answers /_ping.</summary>
    public static async Task<NetnsDockerd> StartAsync(string prefix, int subnet)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = $"{prefix}-{id}";
        string dir = Path.Combine("/tmp", $"mdk-{id}");
        Directory.CreateDirectory(dir);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(
            $"exec nsenter --net=/var/run/netns/{ns} dockerd --data-root {dir}/data --exec-root {dir}/run --pidfile {dir}/docker.pid " +
            $"--host unix://{dir}/docker.sock --bip 198.18.{subnet}.1/24 --default-address-pool base=198.18.{subnet + 1}.0/24,size=24 > {dir}/dockerd.log 2>&1");
        var dockerd = new NetnsDockerd(ns, dir, Process.Start(psi)!);
        using var engine = new DockerEngine(dockerd.Socket, TimeSpan.FromSeconds(2));
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !await engine.PingAsync();)
        {
            if (dockerd._dockerd.HasExited || DateTime.UtcNow > deadline)
            {
                string log = File.Exists(dockerd.LogPath) ? await File.ReadAllTextAsync(dockerd.LogPath) : string.Empty;
                dockerd.Dispose();
                throw new InvalidOperationException($"dockerd in {ns} did not answer: {log}");
            }

            await Task.Delay(200);
        }

        return dockerd;
    }

    /// <summary>The docker CLI against this daemon (tests may use it to look; the product never does).</summary>
    public (int Code, string Output) Docker(string args) => NetnsRunner.TrySh($"docker -H unix://{Socket} {args}");

    public void Dispose()
    {
        if (!_dockerd.HasExited)
        {
            _ = Minuet.ControlPlane.Agent.Processes.AgentInterop.Kill(_dockerd.Id, 15);
            if (!_dockerd.WaitForExit(30_000))
            {
                _dockerd.Kill(entireProcessTree: true);
            }
        }

        _dockerd.Dispose();
        NetnsRunner.TrySh($"for p in $(ip netns pids {Namespace}); do kill -9 $p; done; ip netns del {Namespace}");
        NetnsRunner.TrySh($"umount -R {Dir}/data 2>/dev/null; umount -R {Dir}/run 2>/dev/null; rm -rf {Dir}");
    }
}
