using System.Diagnostics;
using System.Text;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// A <c>minuet</c> child process inside a network namespace (<c>ip netns exec</c> execs it, so the pid is the
/// process's own). Output is kept (last 200 lines) for failure messages.
/// </summary>
internal sealed class NetnsProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private NetnsProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public static NetnsProcess Start(string name, string ns, params string[] minuetArgs)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", ns, "dotnet", MinuetDll }.Concat(minuetArgs))
        {
            start.ArgumentList.Add(arg);
        }

        return new NetnsProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}"));
    }

    public static string MinuetDll => Path.Combine(AppContext.BaseDirectory, "minuet.dll");

    /// <summary>SIGTERM and wait; SIGKILL if it does not stop in time.</summary>
    public bool Stop(TimeSpan? grace = null)
    {
        if (_process.HasExited)
        {
            return true;
        }

        _ = Minuet.ControlPlane.Agent.Processes.AgentInterop.Kill(_process.Id, 15);
        if (_process.WaitForExit((int)(grace ?? TimeSpan.FromSeconds(15)).TotalMilliseconds))
        {
            return true;
        }

        Kill();
        return false;
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > 200)
            {
                _lines.Dequeue();
            }
        }
    }
}
