using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// HAProxy's master process (<c>haproxy -W</c>, master-worker, in the foreground): started once, reloaded with SIGUSR2
/// (the master re-executes, the new worker takes the listening sockets over, old workers finish within
/// <c>hard-stop-after</c>). The master says <c>Loading success.</c> or <c>Loading failure!</c> after every (re)load; on
/// failure it keeps the old worker serving, which is what "the last good configuration keeps serving" relies on.
/// </summary>
internal sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<string> _recent = [];
    private TaskCompletionSource<bool>? _loading;

    private HaproxyProcess(Process process, ILogger log)
    {
        _process = process;
        _log = log;
    }

    public int MasterPid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static string Binary { get; set; } = "/usr/sbin/haproxy";

    /// <summary>Starts the master on <paramref name="configFile"/> and waits for its first load's verdict.</summary>
    public static async Task<(HaproxyProcess? Process, string? Error)> StartAsync(string configFile, ILogger log, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Binary, ["-W", "-f", configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"cannot run {Binary}: {e.Message}");
        }

        var haproxy = new HaproxyProcess(process, log);
        var loaded = haproxy.ExpectLoad();
        process.OutputDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => haproxy.OnExit();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (await loaded.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false))
            {
                return (haproxy, null);
            }
        }
        catch (TimeoutException)
        {
            // reported below with whatever HAProxy said
        }

        string why = haproxy.RecentOutput();
        await haproxy.DisposeAsync().ConfigureAwait(false);
        return (null, $"haproxy did not start: {why}");
    }

    /// <summary>SIGUSR2 to the master; true once the new worker runs, false (old worker still serving) with HAProxy's words.</summary>
    public async Task<(bool Ok, string Detail)> ReloadAsync(CancellationToken cancellationToken)
    {
        var loaded = ExpectLoad();
        if (Interop.Kill(_process.Id, Interop.SIGUSR2) != 0)
        {
            return (false, "could not signal the HAProxy master");
        }

        try
        {
            bool ok = await loaded.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
            return (ok, ok ? "" : RecentOutput());
        }
        catch (TimeoutException)
        {
            return (false, "no load verdict from HAProxy within a minute");
        }
    }

    private Task<bool> ExpectLoad()
    {
        lock (_gate)
        {
            _recent.Clear();
            _loading = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _loading.Task;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        EdgeLbLog.HaproxyOutput(_log, line);
        lock (_gate)
        {
            if (line.Contains("[ALERT]", StringComparison.Ordinal) && _recent.Count < 20)
            {
                _recent.Add(line);
            }

            if (line.Contains("Loading success.", StringComparison.Ordinal))
            {
                _loading?.TrySetResult(true);
            }
            else if (line.Contains("Loading failure!", StringComparison.Ordinal))
            {
                _loading?.TrySetResult(false);
            }
        }
    }

    private void OnExit()
    {
        lock (_gate)
        {
            _loading?.TrySetResult(false);
        }
    }

    private string RecentOutput()
    {
        lock (_gate)
        {
            return _recent.Count == 0 ? (_process.HasExited ? $"exited with code {_process.ExitCode}" : "no output") : string.Join(" | ", _recent);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Interop.Kill(_process.Id, Interop.SIGTERM);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
