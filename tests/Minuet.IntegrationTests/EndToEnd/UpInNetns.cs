using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// A real <c>minuet up</c> as root inside a network namespace of its own (created here, deleted on disposal with
/// every process left in it): its output kept, the parts' pids read from its banner, the CLI run beside it.
/// </summary>
internal sealed partial class UpInNetns : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _up;

    private UpInNetns(string ns, string dir, Process up)
    {
        Namespace = ns;
        Dir = dir;
        _up = up;
        up.OutputDataReceived += (_, e) => Append(e.Data);
        up.ErrorDataReceived += (_, e) => Append(e.Data);
        up.BeginOutputReadLine();
        up.BeginErrorReadLine();
    }

    public string Namespace { get; }

    public string Dir { get; }

    public string StateDir => Path.Combine(Dir, "state");

    public Process Process => _up;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static UpInNetns Start(string prefix, params string[] upArgs)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = prefix + "-" + id;
        string dir = Path.Combine(Path.GetTempPath(), "minuet-" + prefix + "-" + id);
        Directory.CreateDirectory(dir);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", ns, "dotnet", NetnsProcess.MinuetDll, "up", "--state-dir", Path.Combine(dir, "state") }
            .Concat(upArgs.Contains("--auth") ? [] : ["--auth", "off"])
            // `ip netns exec` remounts /sys, which hides the cgroups dockerd needs: Docker tests use StartEntered.
            .Concat(upArgs.Contains("--no-docker") || upArgs.Contains("--docker-socket") ? [] : ["--no-docker"])
            .Concat(upArgs))
        {
            start.ArgumentList.Add(arg);
        }

        return new UpInNetns(ns, dir, Process.Start(start)!);
    }

    /// <summary>Each part's pid by name, from the banner ("master ... [pid N]", "agent 0 ...", "dns ..." for the data plane).</summary>
    public Dictionary<string, int> BannerPids()
    {
        var pids = new Dictionary<string, int>();
        foreach (Match m in BannerLine().Matches(Output))
        {
            string word = m.Groups[1].Value;
            string name = word switch
            {
                "marathon" => "scheduler",
                "dns" => "dataplane",
                "agent" => "agent" + m.Groups[2].Value,
                _ => word,
            };
            pids[name] = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        }

        return pids;
    }

    /// <summary>The CLI in the namespace, finding this up through its state dir's endpoints.json (as a user's shell would).</summary>
    public (int Code, string Output) Cli(params string[] args) =>
        NetnsRunner.TrySh($"ip netns exec {Namespace} env MINUET_STATE_DIR={StateDir} dotnet {NetnsProcess.MinuetDll} {string.Join(' ', args.Select(a => "'" + a + "'"))}");

    /// <summary>
    /// Waits for up to exit, then for its last output lines: <see cref="Process.WaitForExit(int)"/> returns before the
    /// asynchronous reader has delivered them, so assertions on the final lines ("... stopped") could miss them.
    /// </summary>
    public bool WaitForExit(int milliseconds)
    {
        if (!Process.WaitForExit(milliseconds))
        {
            return false;
        }

        Process.WaitForExit();
        return true;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        await WaitAsync(() => Output.Contains(text, StringComparison.Ordinal), $"'{text}' from up", () => Output, timeout);

    public static async Task WaitAsync(Func<bool> condition, string what, Func<string> context, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}\n{context()}");
            }

            await Task.Delay(250);
        }
    }

    public void Signal(int signal) => _ = AgentInterop.Kill(_up.Id, signal);

    public void Dispose()
    {
        if (!_up.HasExited)
        {
            _up.Kill(entireProcessTree: true);
        }

        _up.Dispose();
        NetnsRunner.TrySh($"for p in $(ip netns pids {Namespace}); do kill -9 $p; done; ip netns del {Namespace}");

        // A dockerd killed rather than stopped leaves its data-root bind mount, overlays and netns files mounted
        // (in the host's mount namespace: nsenter --net shares it), and the directory could not be deleted.
        NetnsRunner.TrySh($"awk '$2 ~ \"^{Dir}/\" {{print $2}}' /proc/mounts | sort -r | xargs -r -n1 umount -l");
        try
        {
            if (Environment.GetEnvironmentVariable("MINUET_KEEP_TEST_DIR") is "1")
            {
                return;
            }

            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"(?m)^  (master|marathon|agent|dns)\s+(\d*)\S*.*\[pid (\d+)\]")]
    private static partial Regex BannerLine();
}
