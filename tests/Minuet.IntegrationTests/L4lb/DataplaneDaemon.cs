using System.Diagnostics;
using System.Text;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// <c>minuet dataplane</c> as a child process inside a namespace (<c>ip netns exec</c> execs it, so the pid is
/// the daemon's own and SIGKILL reaches it directly). Output is kept for failure messages.
/// </summary>
internal sealed class DataplaneDaemon : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DataplaneDaemon(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    public bool HasExited => _process.HasExited;

    public static DataplaneDaemon Start(string ns, string stateFile, params string[] extra)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", ns, "dotnet", Path.Combine(AppContext.BaseDirectory, "minuet.dll"), "dataplane",
                     "--state-file", stateFile, "--vip-range", "198.19.0.0/16", "--http-listen", "127.0.0.1:61421",
                     "--dns-listen", "127.0.0.1:5353", "--no-forward", "--queue-balance", "50" }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        return new DataplaneDaemon(Process.Start(start) ?? throw new InvalidOperationException("could not start minuet dataplane"));
    }

    /// <summary>SIGKILL: no cleanup runs, rules and set stay, conntrack keeps established flows.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait: the clean exit that removes the rules and the set.</summary>
    public bool Stop()
    {
        if (_process.HasExited)
        {
            return true;
        }

        NetnsRunner.TrySh($"kill -TERM {_process.Id}");
        return _process.WaitForExit(20_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
