using System.Diagnostics;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

internal sealed partial class EdgeLbController
{
    /// <summary>How long a removed server's requests in flight may take before they are cut (<c>shutdown sessions</c>).</summary>
    /// <remarks>
    /// The controller waits here, so this bounds how long one removal can hold up the next event. HTTP requests to a
    /// task in TASK_KILLING finish well within it (the task drains before its SIGTERM, see the agent's
    /// MINUET_DRAIN_SECONDS); TCP sessions that outlive it are cut, as the task's exit would cut them anyway.
    /// </remarks>
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DeletePoll = TimeSpan.FromMilliseconds(25);

    private async Task<bool> ApplyRuntimeAsync(List<string> commands, CancellationToken cancellationToken)
    {
        try
        {
            foreach (string command in commands)
            {
                string answer = command.StartsWith("del server ", StringComparison.Ordinal)
                    ? await DeleteServerAsync(command["del server ".Length..], cancellationToken).ConfigureAwait(false)
                    : await _runtime.SendAsync(command, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// <c>del server</c> on a server already in maintenance: HAProxy refuses while it still has connections, so it is
    /// retried until its requests in flight finish; after <see cref="DrainWait"/> they are cut and it is retried again
    /// (<c>shutdown sessions</c> is asynchronous). Returns HAProxy's last answer.
    /// </summary>
    private async Task<string> DeleteServerAsync(string target, CancellationToken cancellationToken)
    {
        string command = "del server " + target;
        string answer = await _runtime.SendAsync(command, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        bool cut = false;
        while (RuntimeApi.LooksFailed(answer) && clock.Elapsed < DrainWait * 2)
        {
            if (!cut && clock.Elapsed >= DrainWait)
            {
                cut = true;
                await _runtime.SendAsync("shutdown sessions server " + target, cancellationToken).ConfigureAwait(false);
                Metrics.SessionsCut();
            }

            await Task.Delay(DeletePoll, cancellationToken).ConfigureAwait(false);
            answer = await _runtime.SendAsync(command, cancellationToken).ConfigureAwait(false);
        }

        return answer;
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

        if (!_reloadRequested && string.Equals(checkedConfig.Text, _running?.Text, StringComparison.Ordinal))
        {
            return; // the change was only the app HAProxy rejects: nothing new to serve
        }

        _reloadRequested = false;

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
                _broken.Add(Signature(service));
                EdgeLbLog.AppBreaksConfig(log, $"{service.AppId} (service port {service.ServicePort})");
            }
        }

        var result = ConfigRenderer.Render(kept, options.Generator);
        return await _files.CheckAsync(result.Text, cancellationToken).ConfigureAwait(false) is null ? result : null;
    }

    /// <summary>
    /// Leaves out services HAProxy rejected before, so one broken app costs one app-by-app pass, not one per event,
    /// and scale events of the others still take the runtime path. A service is known by its own text without servers:
    /// changing its labels gives it a new signature and another chance.
    /// </summary>
    private GeneratedConfig WithoutKnownBroken(GeneratedConfig config)
    {
        if (_broken.Count == 0)
        {
            return config;
        }

        var kept = config.Services.Where(s => !_broken.Contains(Signature(s))).ToList();
        return kept.Count == config.Services.Count ? config : ConfigRenderer.Render(kept, options.Generator);
    }

    private string Signature(EdgeService service) => ConfigRenderer.Render([service], options.Generator).Skeleton;

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
