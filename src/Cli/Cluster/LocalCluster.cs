namespace Minuet.Cli.Cluster;

/// <summary>
/// <c>minuet up</c>'s supervisor: starts each <see cref="ClusterMember"/> as a child <c>minuet</c> process in order,
/// waits for each to answer its ready URL, prints where everything listens, then waits for Ctrl-C/SIGTERM or for a
/// child to die. Each child runs in its own process group, so Ctrl-C reaches only up, and up alone decides the order:
/// stopping goes in reverse (the data plane first, so it removes its kernel rules while the rest still runs),
/// SIGTERM with a grace period then SIGKILL, by pid; then leftover task processes are swept.
/// Child processes rather than one process: each part keeps its own signal handling and cleanup code path (the
/// same one as when run alone), and one crashing part cannot take the others' state with it.
/// </summary>
internal sealed class LocalCluster
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private readonly UpOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly List<ChildProcess> _children = [];
    private string? _setsid;

    public LocalCluster(UpOptions options, TextWriter output, TextWriter error)
    {
        _options = options;
        _out = output;
        _error = error;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // SIGHUP too: in their own process groups the children no longer get the terminal's hangup, so up stops them.
        using var stop = new Verbs.StopSignals(cancellationToken, hangup: true);
        _setsid = OwnProcessGroup.Find();
        if (_setsid is null)
        {
            await _error.WriteLineAsync("minuet up: 'setsid' (util-linux) is not on PATH, so the parts share this process group and Ctrl-C reaches them all at once rather than in stop order").ConfigureAwait(false);
        }

        Directory.CreateDirectory(_options.StateDir);
        int exitCode = 0;
        try
        {
            string? failure = await StartAllAsync(stop.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                await _error.WriteLineAsync($"minuet up: {failure}").ConfigureAwait(false);
                exitCode = 1;
            }
            else if (!stop.Token.IsCancellationRequested)
            {
                PrintListening();
                var died = await WaitForStopOrDeathAsync(stop.Token).ConfigureAwait(false);
                if (died is not null && !stop.Token.IsCancellationRequested)
                {
                    await _error.WriteLineAsync($"minuet up: {died.Member.Name} exited with code {died.ExitCode}; stopping the cluster. Last log lines ({died.LogPath}):\n{died.Tail(15)}").ConfigureAwait(false);
                    exitCode = 1;
                }
            }
        }
        finally
        {
            await StopAllAsync().ConfigureAwait(false);
        }

        return exitCode;
    }

    private async Task<string?> StartAllAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var member in ClusterPlan.Build(_options))
        {
            var child = ChildProcess.Start(member, _options.LogDir, _setsid);
            _children.Add(child);
            var deadline = DateTime.UtcNow + ReadyTimeout;
            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return null;
                }

                if (child.HasExited)
                {
                    return $"{member.Name} exited with code {child.ExitCode} while starting. Last log lines ({child.LogPath}):\n{child.Tail(15)}";
                }

                if (await IsReadyAsync(http, member.ReadyUrl, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    return $"{member.Name} did not answer {member.ReadyUrl} within {ReadyTimeout.TotalSeconds:0} s (log: {child.LogPath})";
                }

                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return null;
    }

    private static async Task<bool> IsReadyAsync(HttpClient http, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void PrintListening()
    {
        _out.WriteLine($"minuet up: cluster running (state in {_options.StateDir}, logs in {_options.LogDir})");
        foreach (var child in _children)
        {
            string[] lines = child.Member.Describe.Split('\n');
            _out.WriteLine($"  {lines[0]}   [pid {child.Pid}]");
            foreach (string line in lines.Skip(1))
            {
                _out.WriteLine(line);
            }

        }

        _out.WriteLine(ClusterPlan.TryLine(_options));
        _out.Flush();
    }

    private async Task<ChildProcess?> WaitForStopOrDeathAsync(CancellationToken cancellationToken)
    {
        var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
        var exits = _children.Select(c => c.Exited).ToList();
        var first = await Task.WhenAny([stopped, .. exits]).ConfigureAwait(false);
        return first == stopped ? null : _children.First(c => c.HasExited);
    }

    private async Task StopAllAsync()
    {
        if (_children.Count == 0)
        {
            return;
        }

        _out.WriteLine("minuet up: stopping");
        for (int i = _children.Count - 1; i >= 0; i--)
        {
            var child = _children[i];
            bool clean = await child.StopAsync(StopGrace).ConfigureAwait(false);
            _out.WriteLine($"  {child.Member.Name,-10} stopped{(clean ? string.Empty : " (killed after " + StopGrace.TotalSeconds + " s)")}");
            child.Dispose();
        }

        if (!_options.KeepTasks)
        {
            var workDirs = Enumerable.Range(0, _options.Agents).Select(i => Path.Combine(_options.StateDir, "agent" + i));
            int swept = await TaskSweeper.SweepAsync(workDirs, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            if (swept > 0)
            {
                _out.WriteLine($"  tasks      {swept} stopped (their apps are restarted by the next `minuet up`)");
            }
        }

        _children.Clear();
        _out.Flush();
    }
}
