using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Health;

public class HealthTrackerTests
{
    private static readonly IpPort Backend = new(0xC6120105u, 8080);
    private readonly ManualTimeProvider _time = new();
    private readonly BackendRegistry _registry = new();
    private readonly HealthTracker _tracker;

    public HealthTrackerTests()
    {
        _registry.GetOrAdd(Backend);
        _tracker = new HealthTracker(_registry, HealthOptions.Default, _time);
    }

    private static FlowTuple Flow(int i) => new(0xC6120A01u, (ushort)(40000 + i), 0xC6130001u, 80);

    private BackendState State => _registry.TryGet(Backend, out var s) ? s : throw new InvalidOperationException();

    [Fact]
    public void OnNew_NattedFlowToKnownBackend_CountsPending()
    {
        _tracker.OnNew(Flow(1), Backend);

        Assert.Equal(1, State.Pending);
        Assert.Equal(1, _tracker.PendingCount);
    }

    [Fact]
    public void OnNew_NotNatted_Ignored()
    {
        _tracker.OnNew(new FlowTuple(0xC6120A01u, 40000, Backend.Address, Backend.Port), Backend);

        Assert.Equal(0, State.Pending);
    }

    [Fact]
    public void OnReply_BeforeThreshold_SuccessWithLatency()
    {
        _tracker.OnNew(Flow(1), Backend);
        _time.Advance(TimeSpan.FromMilliseconds(3));
        _tracker.OnReply(Flow(1));

        Assert.Equal(0, State.Pending);
        Assert.Equal(1, State.Successes);
        var summary = State.Latency.Summarize(0);
        Assert.NotNull(summary);
        Assert.Equal(3, summary.Max, 3);
        Assert.Equal(0, _tracker.Sweep());
    }

    [Fact]
    public void Sweep_NoReplyWithinThreshold_CountsFailure()
    {
        _tracker.OnNew(Flow(1), Backend);
        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Equal(0, _tracker.Sweep());

        _time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.Equal(1, _tracker.Sweep());
        Assert.Equal(1, State.Failures);
        Assert.Equal(0, State.Pending);
    }

    [Fact]
    public void Sweep_FiveConsecutiveFailures_BenchesForThirtySeconds()
    {
        var benched = new List<BackendState>();
        _tracker.Benched += benched.Add;
        for (int i = 0; i < 5; i++)
        {
            Assert.False(State.IsBenched(_time.GetTimestamp()));
            _tracker.OnNew(Flow(i), Backend);
            _time.Advance(TimeSpan.FromMilliseconds(500));
            _tracker.Sweep();
        }

        Assert.True(State.IsBenched(_time.GetTimestamp()));
        Assert.Single(benched);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(State.IsBenched(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
    }

    [Fact]
    public void OnReply_AfterFailures_ResetsStreak()
    {
        for (int i = 0; i < 4; i++)
        {
            _tracker.OnNew(Flow(i), Backend);
            _time.Advance(TimeSpan.FromMilliseconds(500));
            _tracker.Sweep();
        }

        _tracker.OnNew(Flow(10), Backend);
        _tracker.OnReply(Flow(10));
        Assert.Equal(0, State.ConsecutiveFailures);

        _tracker.OnNew(Flow(11), Backend);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _tracker.Sweep();

        Assert.False(State.IsBenched(_time.GetTimestamp()));
        Assert.Equal(5, State.Failures);
    }

    [Fact]
    public void OnDestroy_BeforeReply_NeitherSuccessNorFailure()
    {
        _tracker.OnNew(Flow(1), Backend);
        _tracker.OnDestroy(Flow(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(0, _tracker.Sweep());
        Assert.Equal((0, 0L, 0L), (State.Pending, State.Successes, State.Failures));
    }

    [Fact]
    public void Tracker_CustomOptions_Honoured()
    {
        var tracker = new HealthTracker(_registry, new HealthOptions { ConnectTimeout = TimeSpan.FromMilliseconds(50), FailureThreshold = 1, BenchPeriod = TimeSpan.FromSeconds(5) }, _time);
        tracker.OnNew(Flow(1), Backend);
        _time.Advance(TimeSpan.FromMilliseconds(60));
        tracker.Sweep();

        Assert.True(State.IsBenched(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
    }

    [Fact]
    public void LatencySummary_OldSamples_LeftOut()
    {
        State.Latency.Add(_time.GetTimestamp(), 10);
        _time.Advance(TimeSpan.FromSeconds(61));
        long since = _time.GetTimestamp() - TimeSpan.FromSeconds(60).Ticks;
        State.Latency.Add(_time.GetTimestamp(), 2);

        var summary = State.Latency.Summarize(since)!;

        Assert.Equal(1, summary.Count);
        Assert.Equal(2, summary.Max);
    }
}

public class HealthTrackerVipFilterTests
{
    [Fact]
    public void OnNew_DestinationNotAVip_Ignored()
    {
        var registry = new BackendRegistry();
        var backend = new IpPort(0xC6120105u, 8080);
        registry.GetOrAdd(backend);
        var tracker = new HealthTracker(registry, HealthOptions.Default, new ManualTimeProvider(), flow => flow.DestinationAddress == 0xC6130001u);

        tracker.OnNew(new FlowTuple(0xC6120A01u, 40000, 0xC6130002u, 80), backend);
        tracker.OnNew(new FlowTuple(0xC6120A01u, 40001, 0xC6130001u, 80), backend);

        Assert.Equal(1, tracker.PendingCount);
    }
}
