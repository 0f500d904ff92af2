using System.Diagnostics;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

internal sealed partial class EdgeLbController
{
    /// <summary>How often a <c>del server</c> is retried while the removed server's sessions close.</summary>
    private const int DeleteAttempts = 40;

    private async Task<bool> ApplyRuntimeAsync(List<string> commands, CancellationToken cancellationToken)
    {
        try
        {
            foreach (string command in commands)
            {
                string answer = await _runtime.SendAsync(command, cancellationToken).ConfigureAwait(false);
                for (int attempt = 1; RuntimeApi.LooksFailed(answer) && command.StartsWith("del server ", StringComparison.Ordinal) && attempt < DeleteAttempts; attempt++)
                {
                    // "shutdown sessions" is asynchronous: the server keeps its connections for a moment.
                    await Task.Delay(25, cancellationToken).ConfigureAwait(false);
                    answer = await _runtime.SendAsync(command, cancellationToken).ConfigureAwait(false);
                }

                if (RuntimeApi.LooksFailed(answer))
                {
                    EdgeLbLog.RuntimeFailed(log, $"{command}: {answer.Trim()}");
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            EdgeLbLog.RuntimeFailed(log, e.Message);
            return false;
        }
    }

    private async Task ReloadAsync(GeneratedConfig next, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var checkedConfig = await CheckedAsync(next, cancellationToken).ConfigureAwait(false);
        if (checkedConfig is null)
        {
            Metrics.Reload(false);
            return;
        }

        _files.Install();
        await SaveServerStateAsync(cancellationToken).ConfigureAwait(false);
        var (ok, detail) = await _haproxy!.ReloadAsync(cancellationToken).ConfigureAwait(false);
        Metrics.Reload(ok);
        if (!ok)
        {
            _files.RestorePrevious();
            EdgeLbLog.ReloadFailed(log, detail);
            return;
        }

        _running = checkedConfig;
        int servers = checkedConfig.Backends.Values.Sum(b => b.Servers.Count);
        EdgeLbLog.Reloaded(log, checkedConfig.Backends.Count, servers, clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// The candidate if <c>haproxy -c</c> accepts it (left as the candidate file); else marathon-lb's fallback: services
    /// are added one by one and each that breaks the check is left out and logged. Null if even none fails.
    /// </summary>
    private async Task<GeneratedConfig?> CheckedAsync(GeneratedConfig candidate, CancellationToken cancellationToken)
    {
        string? problem = await _files.CheckAsync(candidate.Text, cancellationToken).ConfigureAwait(false);
        if (problem is null)
        {
            return candidate;
        }

        Metrics.CheckFailed();
        EdgeLbLog.CheckFailed(log, problem);
        var kept = new List<EdgeService>();
        foreach (var service in candidate.Services)
        {
            if (await _files.CheckAsync(ConfigRenderer.Render([.. kept, service], options.Generator).Text, cancellationToken).ConfigureAwait(false) is null)
            {
                kept.Add(service);
            }
            else
            {
                EdgeLbLog.AppBreaksConfig(log, $"{service.AppId} (service port {service.ServicePort})");
            }
        }

        var result = ConfigRenderer.Render(kept, options.Generator);
        return await _files.CheckAsync(result.Text, cancellationToken).ConfigureAwait(false) is null ? result : null;
    }

    /// <summary>HAProxy reads this file at start (<c>load-server-state-from-file global</c>) so health and maintenance survive.</summary>
    private async Task SaveServerStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            string state = await _runtime.SendAsync("show servers state", cancellationToken).ConfigureAwait(false);
            string path = ConfigHead.ServerStateFile(options.Generator.HaproxyDir);
            await File.WriteAllTextAsync(path + ".tmp", state, cancellationToken).ConfigureAwait(false);
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            EdgeLbLog.RuntimeFailed(log, "could not save server state: " + e.Message);
        }
    }
}
