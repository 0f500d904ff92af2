using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Engine;

namespace Minuet.Jobs.Tests;

/// <summary>
/// Plays the master for a <see cref="JobsCore"/>: takes the calls it sends, offers one big agent, and reports task
/// states back. It remembers which tasks it launched so a test can count launches across a restart.
/// </summary>
internal sealed class FakeMaster
{
    private int _offers;

    /// <summary>Task ids in launch order, over every core this master served.</summary>
    public List<string> Launched { get; } = [];

    public HashSet<string> Running { get; } = new(StringComparer.Ordinal);

    public List<string> Killed { get; } = [];

    public List<ReconcileRequest> Reconciles { get; } = [];

    public int Declined { get; private set; }

    public void Drain(JobsCore core)
    {
        while (core.Outbox.TryRead(out var command))
        {
            switch (command)
            {
                case AcceptCommand accept:
                    foreach (var task in accept.Request.Tasks)
                    {
                        Launched.Add(task.TaskId!);
                        Running.Add(task.TaskId!);
                    }

                    break;
                case DeclineCommand:
                    Declined++;
                    break;
                case KillCommand kill:
                    Killed.Add(kill.Request.TaskId!);
                    break;
                case ReconcileCommand reconcile:
                    Reconciles.Add(reconcile.Request);
                    break;
            }
        }
    }

    public void Subscribe(JobsCore core)
    {
        core.OnSubscribed("fw-1");
        Drain(core);
    }

    /// <summary>One offer with room for everything; returns the task ids launched on it.</summary>
    public List<string> Offer(JobsCore core, double cpus = 100, double mem = 100_000)
    {
        int before = Launched.Count;
        core.HandleOffers([new OfferInfo
        {
            Id = "offer-" + ++_offers,
            FrameworkId = "fw-1",
            AgentId = "agent-1",
            Hostname = "127.0.0.1",
            Address = "127.0.0.1",
            Role = "*",
            Resources = new ResourceSet { Cpus = cpus, Mem = mem, Disk = 100_000 },
        }]);
        Drain(core);
        return Launched.Skip(before).ToList();
    }

    public void Report(JobsCore core, string taskId, string state, string? uuid = "u")
    {
        if (state is not ("TASK_RUNNING" or "TASK_STAGING" or "TASK_STARTING"))
        {
            Running.Remove(taskId);
        }

        core.HandleUpdate(new SchedulerStatus { TaskId = taskId, FrameworkId = "fw-1", AgentId = "agent-1", State = state, Uuid = uuid });
        Drain(core);
    }

    /// <summary>Launches whatever waits and runs each launched task to <paramref name="end"/>.</summary>
    public List<string> RunAll(JobsCore core, string end = "TASK_FINISHED")
    {
        var tasks = Offer(core);
        foreach (var id in tasks)
        {
            Report(core, id, "TASK_RUNNING");
            Report(core, id, end);
        }

        return tasks;
    }
}
