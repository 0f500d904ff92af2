using System.Diagnostics;
using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.Cli.Cluster;

/// <summary>
/// One cluster member running as a child <c>minuet</c> process (in its own process group, see
/// <see cref="OwnProcessGroup"/>), its output appended to <c>logs/NAME.log</c>. Stopped by pid: SIGTERM, then
/// SIGKILL after a grace period.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private const int SIGTERM = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private ChildProcess(ClusterMember member, Process process, StreamWriter log)
    {
        Member = member;
        _process = process;
        _log = log;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public ClusterMember Member { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string LogPath { get; private init; } = string.Empty;

    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public Task Exited => _process.WaitForExitAsync();

    /// <summary>
    /// Starts <paramref name="member"/>, in its own process group when <paramref name="setsid"/> is given;
    /// <paramref name="note"/> (why it starts, e.g. a restart) goes into its log.
    /// </summary>
    public static ChildProcess Start(ClusterMember member, string logDir, string? setsid, string? note = null)
    {
        Directory.CreateDirectory(logDir);
        string logPath = Path.Combine(logDir, member.Name + ".log");
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var psi = member.Executable is { } program ? ProgramStartInfo(program, member.Arguments) : SelfCommand.StartInfo(member.Arguments);
        if (setsid is not null)
        {
            OwnProcessGroup.Wrap(psi, setsid);
        }

        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true; // children must not read the terminal
        log.WriteLine($"---- {DateTime.UtcNow:O} {member.Executable ?? "minuet"} {string.Join(' ', member.Arguments)}{(note is null ? string.Empty : "   (" + note + ")")}");
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {member.Name}");
        return new ChildProcess(member, process, log) { LogPath = logPath };
    }

    private static ProcessStartInfo ProgramStartInfo(string program, IEnumerable<string> arguments)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        return psi;
    }

    /// <summary>The last lines of the log, for an error message.</summary>
    public string Tail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL. True when it stopped on SIGTERM.</summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            await DrainAsync().ConfigureAwait(false);
            return true;
        }

        AgentInterop.Kill(_process.Id, SIGTERM);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            AgentInterop.Kill(_process.Id, AgentInterop.SIGKILL);
            await _process.WaitForExitAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// The last output lines reach the log, but a descendant that inherited the pipes (a task left running) would
    /// hold them open forever, so the wait is bounded: shutdown must not hang on it.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            await _pumps.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_log)
                {
                    _log.WriteLine(line);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
