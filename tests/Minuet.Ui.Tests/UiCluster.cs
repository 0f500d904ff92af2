using System.Diagnostics;
using System.Text;

namespace Minuet.Ui.Tests;

/// <summary>
/// A real <c>minuet up</c> (auth on, no Docker, L4 balancer on) as root in a network namespace of its own, and the
/// way into that namespace for the browser: <see cref="ChromiumWrapper"/> is a script Playwright launches as its
/// executable, which enters the namespace (<c>nsenter --net</c>) and execs Debian's <c>/usr/bin/chromium</c> there.
/// Playwright talks to it over the inherited pipe, so nothing listens outside the namespace. Disposal kills what
/// runs in the namespace, deletes it and the temporary folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class UiCluster : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly StringBuilder _output = new();
    private readonly Process _up;

    private UiCluster(string ns, string dir, Process up)
    {
        Namespace = ns;
        Dir = dir;
        _up = up;
        up.OutputDataReceived += (_, e) => Append(e.Data);
        up.ErrorDataReceived += (_, e) => Append(e.Data);
        up.BeginOutputReadLine();
        up.BeginErrorReadLine();
        ChromiumWrapper = Path.Combine(dir, "chromium-in-netns");
        File.WriteAllText(ChromiumWrapper, $"#!/bin/sh\nexec nsenter --net=/var/run/netns/{ns} {Chromium} \"$@\"\n");
        File.SetUnixFileMode(ChromiumWrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Namespace { get; }

    public string Dir { get; }

    public string ChromiumWrapper { get; }

    /// <summary>Admin Router, as up prints it: the UI's address inside the namespace.</summary>
    public const string Url = "http://127.0.0.1/";

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

    public static string MinuetDll => Path.Combine(AppContext.BaseDirectory, "minuet.dll");

    public static UiCluster Start()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = "minuet-ui-" + id;
        string dir = Path.Combine(Path.GetTempPath(), "minuet-ui-" + id);
        Directory.CreateDirectory(dir);
        Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            $"--net=/var/run/netns/{ns}", "dotnet", MinuetDll, "up", "--state-dir", Path.Combine(dir, "state"), "--auth", "on", "--no-docker",
            "--vip-range", "198.19.0.0/16",
        })
        {
            start.ArgumentList.Add(arg);
        }

        return new UiCluster(ns, dir, Process.Start(start)!);
    }

    public async Task WaitRunningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains("cluster running", StringComparison.Ordinal))
        {
            if (_up.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("minuet up did not report 'cluster running':\n" + Output);
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_up.HasExited)
        {
            _up.Kill(entireProcessTree: true);
            await _up.WaitForExitAsync();
        }

        _up.Dispose();
        Sh($"for p in $(ip netns pids {Namespace}); do kill -9 $p; done; ip netns del {Namespace}", check: false);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A chromium profile file still being closed: the folder is in /tmp and harmless.
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

    private static void Sh(string command, bool check = true)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{command}` exited {process.ExitCode}: {output}");
        }
    }
}
