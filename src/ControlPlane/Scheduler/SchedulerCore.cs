using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// The Marathon-style scheduler's state and rules: apps and groups, their tasks, deployments, offers and status
/// updates. One lock serialises every change; calls to the master leave through <see cref="Outbox"/> and are sent
/// by the host's pump, never under the lock. Time is injected so tests drive it.
/// </summary>
internal sealed partial class SchedulerCore : IFrameworkCore
{
    public const string MetaFrameworkId = "framework_id";

    private readonly Lock _gate = new();
    private readonly SchedulerOptions _options;
    private readonly GuardedSchedulerStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppState> _taskIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeploymentPlan> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _wanted = new(StringComparer.Ordinal);
    private readonly Channel<MasterCommand> _outbox = Channel.CreateUnbounded<MasterCommand>(new UnboundedChannelOptions { SingleReader = true });
    private DateTimeOffset _lastVersion;

    /// <summary>Inside an API change: master calls and events wait here until the change is stored.</summary>
    private List<Action>? _deferred;

    public SchedulerCore(SchedulerOptions options, ISchedulerStore store, TimeProvider? time = null, ILogger? log = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _store = store as GuardedSchedulerStore ?? new GuardedSchedulerStore(store, _time);
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Recover(_store.Load());
    }

    public SchedulerOptions Options => _options;

    public EventBus Events { get; } = new();

    /// <summary>Calls for the master, in the order decided.</summary>
    public ChannelReader<MasterCommand> Outbox => _outbox.Reader;

    /// <summary>Our framework id once subscribed (kept across restarts in the store).</summary>
    public string? FrameworkId { get; private set; }

    /// <summary>True while a subscription is live (for <c>/v2/info</c> and <c>/v2/leader</c>).</summary>
    public bool Connected { get; private set; }

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Runs <paramref name="read"/> under the lock (HTTP views).</summary>
    public T Read<T>(Func<SchedulerReadView, T> read)
    {
        lock (_gate)
        {
            return read(new SchedulerReadView(_apps, _groups, _deployments));
        }
    }

    private void Send(MasterCommand command)
    {
        if (_deferred is { } deferred)
        {
            deferred.Add(() => _outbox.Writer.TryWrite(command));
            return;
        }

        _outbox.Writer.TryWrite(command);
    }

    private void Publish(MarathonEvent e)
    {
        if (_deferred is { } deferred)
        {
            deferred.Add(() => Events.Publish(e));
            return;
        }

        Events.Publish(e);
    }

    /// <summary>
    /// A version strictly after the previous one (two changes in one millisecond still order), in whole milliseconds
    /// so that its text form (Marathon's, as <c>/v2/apps/{id}/versions/{version}</c> takes it) names it exactly.
    /// </summary>
    private DateTimeOffset NextVersion()
    {
        var now = Now;
        now = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
        _lastVersion = now > _lastVersion ? now : _lastVersion.AddMilliseconds(1);
        return _lastVersion;
    }
}
