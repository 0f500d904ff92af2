using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;

namespace Minuet.Cli.Cluster;

/// <summary>
/// After the agents have stopped (an agent leaves its tasks running on exit, to re-adopt them), kills the task
/// process groups their work dirs still record, so <c>minuet up</c> leaves nothing behind. Only groups whose leader
/// is still the recorded process (same <c>/proc</c> start time) or gone are signalled: a reused pid is never hit.
/// </summary>
internal static class TaskSweeper
{
    private const int SIGTERM = 15;

    /// <summary>Kills recorded live tasks; returns how many groups were signalled.</summary>
    public static async Task<int> SweepAsync(IEnumerable<string> workDirs, TimeSpan grace)
    {
        var groups = new List<int>();
        foreach (string dir in workDirs)
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            var (tasks, _) = new CheckpointStore(dir).LoadTasks();
            foreach (var task in tasks)
            {
                if (task.Pid is int pid && pid > 1 && ProcStat.IsTaskGroup(pid, task.StartTime) && ProcStat.GroupHasLiveMembers(pid))
                {
                    groups.Add(pid);
                    AgentInterop.Kill(-pid, SIGTERM);
                }
            }
        }

        var deadline = DateTime.UtcNow + grace;
        while (groups.Exists(ProcStat.GroupHasLiveMembers) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100).ConfigureAwait(false);
        }

        foreach (int pid in groups.Where(ProcStat.GroupHasLiveMembers))
        {
            AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
        }

        return groups.Count;
    }
}
