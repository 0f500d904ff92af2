namespace Minuet.Cli.Cluster;

/// <summary>
/// One cluster member under <c>up</c>'s supervision, as systemd's <c>Restart=always</c> keeps a DC/OS component
/// up: when its process dies, the death is reported (which, exit code or signal, the wait), it is started again
/// after a <see cref="RestartBackoff"/> wait and must answer its ready URL; the other members are not touched. Only
/// cancelling the supervision (Ctrl-C/SIGTERM to <c>up</c>) ends it; stopping the process is then the caller's.
/// </summary>
internal sealed class SupervisedMember : IDisposable
{
    private readonly Func<ClusterMember, string?, ChildProcess> _start;
    private readonly Action<string> _say;
    private readonly RestartBackoff _backoff = new();

    public SupervisedMember(ChildProcess first, Func<ClusterMember, string?, ChildProcess> start, Action<string> say)
    {
        Child = first;
        _start = start;
        _say = say;
    }

    public ClusterMember Member => Child.Member;

    /// <summary>The process running now (replaced on each restart).</summary>
    public ChildProcess Child { get; private set; }

    /// <summary>Restarts until <paramref name="stop"/> fires; never throws for it.</summary>
    public async Task SuperviseAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Child.Exited.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (stop.IsCancellationRequested)
            {
                return; // died of the shutdown itself (e.g. the terminal's hangup); the caller stops the rest
            }

            var dead = Child;
            string how = ExitStatus.Describe(dead.ExitCode);
            var delay = _backoff.Next(DateTime.UtcNow - dead.StartedAt);
            _say($"minuet up: {Member.Name} (pid {dead.Pid}) {how}; restarting it in {delay.TotalSeconds:0} s (restart {_backoff.Restarts}; the other parts keep running). Last log lines ({dead.LogPath}):\n{Indent(dead.Tail(5))}");
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var began = DateTime.UtcNow;
            try
            {
                Child = _start(Member, $"restart {_backoff.Restarts} by minuet up: the previous process (pid {dead.Pid}) {how}");
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // The dead process stays current, so the next round reports it again and waits longer.
                _say($"minuet up: could not start {Member.Name} again: {e.Message}");
                continue;
            }

            dead.Dispose();
            string? failure = await ReadyProbe.WaitAsync(Child, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            _say(failure is null
                ? $"minuet up: {Member.Name} restarted [pid {Child.Pid}], ready after {(DateTime.UtcNow - began).TotalSeconds:0.0} s"
                : $"minuet up: {Member.Name} restarted [pid {Child.Pid}] but is not ready: {failure}");
        }
    }

    public void Dispose() => Child.Dispose();

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(line => "    " + line));
}
