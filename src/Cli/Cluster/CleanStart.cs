namespace Minuet.Cli.Cluster;

/// <summary>
/// <c>up --clean</c>: forgets the previous runs' apps, tasks and agents by removing the masters' and schedulers' stores
/// (and the etcd members' data dirs)
/// and the agents' work dirs under the state dir (logs stay). Tasks a previous <c>--keep-tasks</c> left running are
/// stopped first, so none is orphaned; a state dir another running <c>up</c> uses is refused.
/// </summary>
internal static class CleanStart
{
    private static readonly string[] StorePatterns = ["master*", "scheduler*", "etcd*"];

    /// <summary>Null when done; otherwise why not.</summary>
    public static async Task<string?> RunAsync(string stateDir)
    {
        if (UpEndpoints.TryRead(Path.Combine(stateDir, UpEndpoints.FileName), checkAlive: true) is { } running && running.Pid != Environment.ProcessId)
        {
            return $"--clean: another minuet up (pid {running.Pid}) is running on {stateDir}; stop it first";
        }

        if (!Directory.Exists(stateDir))
        {
            return null;
        }

        var agentDirs = Directory.GetDirectories(stateDir, "agent*");
        _ = await TaskSweeper.SweepAsync(agentDirs, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        try
        {
            // master/scheduler (one master), masterN/schedulerN and etcdN (up --masters N: the store is etcd's data).
            var stores = StorePatterns.SelectMany(pattern => Directory.GetDirectories(stateDir, pattern));
            foreach (string dir in agentDirs.Concat(stores).Where(Directory.Exists))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--clean: cannot remove the previous state in {stateDir}: {e.Message}";
        }

        return null;
    }
}
