namespace Minuet.Cli.Cluster;

/// <summary>
/// <c>minuet up</c>'s supervisor: starts each <see cref="ClusterMember"/> as a child <c>minuet</c> process in order,
/// waits for each to answer its ready URL, prints where everything listens, then supervises them as systemd does
/// DC/OS's components (<see cref="SupervisedMember"/>: a child that dies is restarted with backoff and the others
/// and their tasks keep running) until Ctrl-C, SIGTERM or SIGHUP. Each child runs in its own process group, so
/// Ctrl-C reaches only up, and up alone decides the order: stopping goes by tier in reverse (the data plane first,
/// so it removes its kernel rules while the rest still runs; then all agents at once; then the scheduler; then the
/// master), SIGTERM with a grace period then SIGKILL, by pid; then leftover task processes are swept.
/// Child processes rather than one process: each part keeps its own signal handling and cleanup code path (the
/// same one as when run alone), and one crashing part cannot take the others' state with it.
/// </summary>
internal sealed class LocalCluster
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private UpOptions _options;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly List<SupervisedMember> _children = [];
    private string? _setsid;

    public LocalCluster(UpOptions options, TextWriter output, TextWriter error)
    {
        _options = options;
        _out = TextWriter.Synchronized(output);
        _error = TextWriter.Synchronized(error);
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

        if (_options.Clean && await CleanStart.RunAsync(_options.StateDir).ConfigureAwait(false) is { } cleanFailure)
        {
            await _error.WriteLineAsync($"minuet up: {cleanFailure}").ConfigureAwait(false);
            return 1;
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
                UpEndpoints.For(_options, Environment.ProcessId).Write(_options.StateDir);
                await Task.WhenAll(_children.Select(c => c.SuperviseAsync(stop.Token))).ConfigureAwait(false);
            }
        }
        finally
        {
            UpEndpoints.Remove(_options.StateDir, Environment.ProcessId);
            await StopAllAsync().ConfigureAwait(false);
        }

        return exitCode;
    }

    private async Task<string?> StartAllAsync(CancellationToken cancellationToken)
    {
        // Docker first: the agents are told its socket, and it stops last (after the agents leave their containers).
        var docker = new List<ChildProcess>();
        _options = await DockerSetup.PrepareAsync(_options, member => Start(member, null), docker, Say, cancellationToken).ConfigureAwait(false);
        _children.AddRange(docker.Select(child => new SupervisedMember(child, Start, Say)));
        foreach (var member in ClusterPlan.Build(_options))
        {
            var child = Start(member, null);
            _children.Add(new SupervisedMember(child, Start, Say));
            if (member.StartWithNext)
            {
                continue;
            }

            string? failure = await ReadyProbe.WaitAsync(child, cancellationToken).ConfigureAwait(false);
            if (failure is not null || cancellationToken.IsCancellationRequested)
            {
                return failure;
            }
        }

        return null;
    }

    private ChildProcess Start(ClusterMember member, string? note) => ChildProcess.Start(member, _options.LogDir, _setsid, note);

    private void Say(string line)
    {
        _out.WriteLine(line);
        _out.Flush();
    }

    private void PrintListening()
    {
        _out.WriteLine($"minuet up: cluster running (state in {_options.StateDir}, logs in {_options.LogDir})");
        foreach (var child in _children)
        {
            string[] lines = child.Member.Describe.Split('\n');
            _out.WriteLine($"  {lines[0]}   [pid {child.Child.Pid}]");
            foreach (string line in lines.Skip(1))
            {
                _out.WriteLine(line);
            }

        }

        _out.WriteLine(ClusterPlan.TryLine(_options));
        _out.Flush();
    }

    private async Task StopAllAsync()
    {
        if (_children.Count == 0)
        {
            return;
        }

        _out.WriteLine("minuet up: stopping");
        // A tier at once (ten agents stop in one grace period, not ten), tiers in reverse start order.
        foreach (var tier in _children.GroupBy(c => c.Member.Tier).OrderByDescending(g => g.Key))
        {
            var members = tier.ToList();
            bool[] clean = await Task.WhenAll(members.Select(c => c.Child.StopAsync(c.Member.StopGrace ?? StopGrace))).ConfigureAwait(false);
            for (int i = 0; i < members.Count; i++)
            {
                _out.WriteLine($"  {members[i].Member.Name,-10} stopped{(clean[i] ? string.Empty : " (killed after " + (members[i].Member.StopGrace ?? StopGrace).TotalSeconds + " s)")}");
                members[i].Dispose();
            }
        }

        if (_children.Any(c => c.Member.Name == "dockerd"))
        {
            await DockerSetup.ReleaseMountsAsync(_options).ConfigureAwait(false);
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
