using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.Cli;

/// <summary>
/// A long-running <c>minuet</c> verb as a child process for signal tests: its output collected, SIGINT and SIGTERM
/// at their default disposition (<c>env --default-signal</c>: a test host started in the background ignores SIGINT,
/// and its children would inherit that), optionally in a session of its own (<c>setsid</c>) so a signal can go to
/// its whole process group as a terminal's Ctrl-C does. Killed on disposal if still running.
/// </summary>
internal sealed class SignalledCli : IDisposable
{
    private readonly StringBuilder _output = new();

    private SignalledCli(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

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

    public static SignalledCli Start(bool ownSession, params string[] args)
    {
        var psi = new ProcessStartInfo(ownSession ? "setsid" : "env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var command = new List<string>();
        if (ownSession)
        {
            command.Add("env");
        }

        command.AddRange(["--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "minuet.dll"), .. args]);
        foreach (var arg in command)
        {
            psi.ArgumentList.Add(arg);
        }

        return new SignalledCli(Process.Start(psi) ?? throw new InvalidOperationException("could not start minuet"));
    }

    /// <summary>
    /// <c>minuet ARGS</c> as a script's background job gets it: <c>bash -c "trap '' INT; exec ..."</c> (in network
    /// namespace <paramref name="netns"/> when given), so it starts with SIGINT ignored. The pid is minuet's own.
    /// </summary>
    /// <param name="launcher">Words put before <c>dotnet</c> (e.g. <c>setpriv ... env HOME=...</c> to run unprivileged).</param>
    /// <param name="dll">The minuet.dll to run; the test's own build by default.</param>
    public static SignalledCli StartIgnoringSigint(string args, string? netns = null, string launcher = "", string? dll = null)
    {
        var psi = new ProcessStartInfo(netns is null ? "bash" : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (netns is not null)
        {
            foreach (var arg in new[] { "netns", "exec", netns, "bash" })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"trap '' INT; exec {launcher} dotnet {dll ?? Path.Combine(AppContext.BaseDirectory, "minuet.dll")} {args}");
        return new SignalledCli(Process.Start(psi) ?? throw new InvalidOperationException("could not start minuet"));
    }

    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(Process.HasExited, $"minuet exited with {(Process.HasExited ? Process.ExitCode : 0)} before printing '{text}':\n{Output}");
            Assert.True(DateTime.UtcNow < deadline, $"minuet did not print '{text}' within {timeout.TotalSeconds} s:\n{Output}");
            await Task.Delay(100);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"minuet did not exit within {timeout.TotalSeconds} s:\n{Output}");
        }

        // The output pumps finish after the exit; the last lines matter to the assertions.
        Process.WaitForExit();
        return Process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
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
}
