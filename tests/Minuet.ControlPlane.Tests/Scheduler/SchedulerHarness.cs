using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Scheduler.Validation;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>
/// A real <see cref="MasterCore"/> (manual clock, recording dispatcher in place of agents) and a
/// <see cref="SchedulerCore"/> wired synchronously: <see cref="Pump"/> moves master events into the scheduler and
/// the scheduler's commands into the master until both are quiet. Tests play the agent with <see cref="Report"/>.
/// </summary>
internal sealed class SchedulerHarness
{
    private readonly InProcessMasterLink _link;
    private FrameworkConnection? _connection;

    public SchedulerHarness(ISchedulerStore? store = null, TestMaster? master = null, SchedulerOptions? options = null)
    {
        Master = master ?? new TestMaster();
        Store = store ?? new InMemorySchedulerStore();
        Core = new SchedulerCore(options ?? new SchedulerOptions(), Store, Master.Time);
        _link = new InProcessMasterLink(Master.Core);
    }

    public TestMaster Master { get; }

    public ISchedulerStore Store { get; }

    public SchedulerCore Core { get; }

    public List<MasterError> Refusals { get; } = [];

    public void Subscribe()
    {
        var (connection, error) = Master.Core.Subscribe(new SubscribeRequest { Name = "marathon", FrameworkId = Core.FrameworkId, Hostname = "10.0.0.1" });
        Assert.Null(error);
        _connection = connection;
        Pump();
    }

    /// <summary>Allocates offers (after the decline filters pass), then pumps.</summary>
    public void Offer()
    {
        Master.Time.Advance(TimeSpan.FromSeconds(6));
        Core.Tick();
        Pump();
        Master.Core.Tick(Master.Time.Now);
        Pump();
    }

    public void Pump()
    {
        for (int round = 0; round < 100; round++)
        {
            bool any = false;
            while (_connection is not null && _connection.Events.TryRead(out var e))
            {
                any = true;
                switch (e.Type)
                {
                    case "SUBSCRIBED":
                        Core.OnSubscribed(e.Subscribed!);
                        break;
                    case "OFFERS":
                        Core.HandleOffers(e.Offers!);
                        break;
                    case "UPDATE":
                        Core.HandleUpdate(e.Update!);
                        break;
                }
            }

            while (Core.Outbox.TryRead(out var command))
            {
                any = true;
                Dispatch(command);
            }

            if (!any)
            {
                return;
            }
        }

        Assert.Fail("the scheduler and the master did not settle within 100 rounds");
    }

    private void Dispatch(MasterCommand command)
    {
        var error = command.SendAsync(_link, Core.FrameworkId!, CancellationToken.None).GetAwaiter().GetResult();
        if (error is not null)
        {
            Refusals.Add(error);
            if (command is AcceptCommand accept)
            {
                Core.OnAcceptFailed(accept.Request, error, accept.Retry);
            }
        }
    }

    /// <summary>Reads the master's events without handling them, keeping the offers.</summary>
    public void PumpEventsOnly(List<OfferInfo> offers)
    {
        while (_connection is not null && _connection.Events.TryRead(out var e))
        {
            if (e.Type == "OFFERS")
            {
                offers.AddRange(e.Offers!);
            }
        }
    }

    /// <summary>Removes the first queued scheduler command matching <paramref name="match"/>, sending the others to the master in order.</summary>
    public MasterCommand? TakeCommand(Func<MasterCommand, bool> match)
    {
        var kept = new List<MasterCommand>();
        MasterCommand? taken = null;
        while (Core.Outbox.TryRead(out var command))
        {
            if (taken is null && match(command))
            {
                taken = command;
            }
            else
            {
                kept.Add(command);
            }
        }

        foreach (var command in kept)
        {
            Dispatch(command);
        }

        return taken;
    }

    /// <summary>Plays the agent: reports a state for a launched task.</summary>
    public void Report(string taskId, TaskState state, bool? healthy = null)
    {
        var launch = Master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;
        var (_, error) = Master.Core.StatusUpdate(launch.AgentId, Master.Status(taskId, launch.FrameworkId, launch.AgentId, state, healthy, "10.0.0.11"));
        Assert.Null(error);
        Pump();
    }

    /// <summary>Every task the scheduler launched and still counts live, by id.</summary>
    public List<string> LiveTasks(string appId) =>
        Core.Read(v => v.Apps.TryGetValue(appId, out var a) ? a.Tasks.Values.Where(t => t.IsLive).Select(t => t.Id).ToList() : []);

    public List<string> Killed() => Master.Dispatcher.Kills.Select(k => k.Kill.TaskId).ToList();

    /// <summary>Marks every launched, not-yet-running task RUNNING (healthy when given).</summary>
    public void RunAll(string appId, bool? healthy = null)
    {
        foreach (var id in Core.Read(v => v.Apps[appId].Tasks.Values.Where(t => t.IsLive && !t.IsRunning).Select(t => t.Id).ToList()))
        {
            Report(id, TaskState.Running, healthy);
        }
    }

    /// <summary>Completes kills the master forwarded to the fake agent with TASK_KILLED.</summary>
    public void CompleteKills()
    {
        foreach (var id in Killed())
        {
            if (Master.Core.Tasks.TryGetValue(id, out var task) && !task.State.IsTerminal())
            {
                Report(id, TaskState.Killed);
            }
        }
    }

    public static AppDefinition App(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var app = AppParser.Parse(doc.RootElement, string.Empty, "/", errors);
        Assert.False(errors.Any, string.Join("; ", errors.ToList().Select(e => e.Path + " " + string.Join(",", e.Errors))));
        return app!;
    }

    public LaunchTaskRequest LaunchOf(string taskId) => Master.Dispatcher.Launches.Single(l => l.Launch.TaskId == taskId).Launch;
}
