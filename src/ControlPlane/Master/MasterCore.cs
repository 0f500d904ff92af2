using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master.Parts;
using Minuet.ControlPlane.Master.Stream;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// The master's state and rules: agents, frameworks, offers, tasks and their status updates, driven by calls from
/// the agent protocol, the scheduler API and a periodic <see cref="Tick"/>. One lock serialises every change, so
/// the allocator (pure), the store writes and the change log see changes in one order. Calls to agents leave
/// through <see cref="IAgentDispatcher"/> and never run under the lock.
/// </summary>
internal sealed partial class MasterCore
{
    private readonly Lock _gate = new();
    private readonly MasterOptions _options;
    private readonly TimeProvider _time;
    private readonly IMasterStore _store;
    private readonly IAgentDispatcher _dispatcher;
    private readonly ILogger _log;
    private HierarchicalAllocator _allocator;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The core reaches each part only through what its interface says the part owns.")]
    private readonly IAgentRegistry _agents;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The core reaches each part only through what its interface says the part owns.")]
    private readonly IFrameworkRegistry _frameworks;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The core reaches each part only through what its interface says the part owns.")]
    private readonly ITaskTable _tasks;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "The core reaches each part only through what its interface says the part owns.")]
    private readonly IOfferBook _offers;
    private ClusterChangeLog _changes;

    private DateTimeOffset _lastSchedulerHeartbeat;

    public MasterCore(MasterOptions options, IMasterStore store, IAgentDispatcher dispatcher, TimeProvider? time = null, ILogger? log = null)
    {
        _options = options;
        _store = store;
        _dispatcher = dispatcher;
        _time = time ?? TimeProvider.System;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _allocator = new HierarchicalAllocator(options.Allocator);
        _writes = new StoreWriteQueue(store, _storeHealth, _metrics, _time, _log);
        _agents = new AgentRegistry(_view.AgentChanged);
        _frameworks = new FrameworkRegistry(_view.FrameworkChanged);
        _tasks = new TaskTable(_view.TaskChanged);
        _offers = new OfferBook(_view.FrameworkChanged);
        StartTime = _time.GetUtcNow();
        _changes = new ClusterChangeLog(options.StreamLogCapacity, StartTime.ToUnixTimeMilliseconds() * 1000);
        _lastSchedulerHeartbeat = StartTime;

        // A standby (HA) reads nothing until it is elected: the store is the leader's, and it may change before then.
        _standby = options.StartStandby;
        MasterId = _standby ? options.MasterId ?? NewMasterId(StartTime, options.Port) : Recover(store.Load(), StartTime);
        _document = new State.StateDocumentCache(this);
        _view.Publish(this);
    }

    public MasterOptions Options => _options;

    public string MasterId { get; }

    public DateTimeOffset StartTime { get; }

    public ClusterChangeLog Changes => _changes;

    /// <summary>The allocator, for tests and operator endpoints; callers must hold no expectations across calls.</summary>
    internal HierarchicalAllocator Allocator => _allocator;

    internal Lock Gate => _gate;

    internal IReadOnlyDictionary<string, AgentEntry> Agents => _agents;

    internal IReadOnlyDictionary<string, FrameworkEntry> Frameworks => _frameworks;

    internal IReadOnlyDictionary<string, TaskEntry> Tasks => _tasks;

    private DateTimeOffset Now => _time.GetUtcNow();

    internal static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Runs <paramref name="read"/> under the master lock (state rendering, snapshots).</summary>
    public T Read<T>(Func<MasterCore, T> read)
    {
        lock (_gate)
        {
            return read(this);
        }
    }

    internal static string NewMasterId(DateTimeOffset now, int port) =>
        $"{now:yyyyMMdd-HHmmss}-{(uint)Random.Shared.Next():D10}-{port}-{Environment.ProcessId}";
}
