using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.Tests.L4lb.Health;

/// <summary>Refusals (a reset answering the SYN) are failures, and a breaker past its period admits one probe.</summary>
public class RefusalAndProbeTests
{
    private static readonly IpPort Backend = new(0xC6120105u, 8080);
    private readonly ManualTimeProvider _time = new();
    private readonly BackendRegistry _registry = new();
    private readonly HealthTracker _tracker;

    public RefusalAndProbeTests()
    {
        _registry.GetOrAdd(Backend);
        _tracker = new HealthTracker(_registry, new HealthOptions { FailureThreshold = 3, BenchPeriod = TimeSpan.FromSeconds(30) }, _time);
    }

    private BackendState State => _registry.TryGet(Backend, out var s) ? s : throw new InvalidOperationException();

    private static FlowTuple Flow(int i) => new(0xC6120A01u, (ushort)(40000 + i), 0xC6130001u, 80);

    private static ConntrackEntryInfo Entry(TcpConntrackState state, ConntrackStatus status, ConntrackEventType type = ConntrackEventType.Update) =>
        new(type, new ConntrackTuple(0xC6120A01u, 0xC6130001u, 40000, 80), new ConntrackTuple(Backend.Address, 0xC6120A01u, Backend.Port, 40000), status, state, 1, 0, 0);

    [Theory]
    [InlineData(TcpConntrackState.Close, ConntrackStatus.SeenReply, "Refused")]
    [InlineData(TcpConntrackState.SynRecv, ConntrackStatus.SeenReply, "Answered")]
    [InlineData(TcpConntrackState.Established, ConntrackStatus.SeenReply | ConntrackStatus.Assured, "Answered")]
    [InlineData(TcpConntrackState.Close, ConntrackStatus.SeenReply | ConntrackStatus.Assured, "Answered")]
    [InlineData(TcpConntrackState.SynSent, (ConntrackStatus)0, "Pending")]
    [InlineData(TcpConntrackState.None, ConntrackStatus.SeenReply, "Answered")]
    public void Classify_TcpStateAndStatus_Outcome(TcpConntrackState state, ConntrackStatus status, string expected) =>
        Assert.Equal(expected, ConnectOutcomes.Classify(Entry(state, status)).ToString());

    [Fact]
    public void OnRefused_ThreeResetsInARow_BenchAtOnceWithoutWaitingForTheThreshold()
    {
        for (int i = 0; i < 3; i++)
        {
            _tracker.OnNew(Flow(i), Backend);
            _tracker.OnRefused(Flow(i));
        }

        Assert.False(State.IsHealthy(_time.GetTimestamp()));
        Assert.True(State.IsBenched(_time.GetTimestamp()));
        Assert.Equal((3L, 0L, 0), (State.Failures, State.Successes, State.Pending));
    }

    [Fact]
    public void IsBenched_AfterPeriod_OneProbeAdmittedOthersWaitForItsVerdict()
    {
        for (int i = 0; i < 3; i++)
        {
            _tracker.OnNew(Flow(i), Backend);
            _tracker.OnRefused(Flow(i));
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        long now = _time.GetTimestamp();

        Assert.False(State.IsBenched(now));
        Assert.True(State.IsBenched(now));
        Assert.False(State.IsHealthy(now));

        // The probe fails: benched for another full period.
        _tracker.OnNew(Flow(10), Backend);
        _tracker.OnRefused(Flow(10));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(State.IsBenched(_time.GetTimestamp()));

        // Next probe succeeds: the breaker closes for everyone.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
        _tracker.OnNew(Flow(11), Backend);
        _tracker.OnReply(Flow(11));
        Assert.True(State.IsHealthy(_time.GetTimestamp()));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
    }

    [Fact]
    public void IsBenched_ProbeGotNoVerdict_AnotherProbeAfterTheWindow()
    {
        for (int i = 0; i < 3; i++)
        {
            _tracker.OnNew(Flow(i), Backend);
            _tracker.OnRefused(Flow(i));
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.False(State.IsBenched(_time.GetTimestamp()));
        Assert.True(State.IsBenched(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(State.IsBenched(_time.GetTimestamp()));
    }

    [Fact]
    public void Resync_AfterLostEvents_AnsweredIsSuccessRefusedIsFailureGoneIsNeither()
    {
        _tracker.OnNew(Flow(1), Backend);
        _tracker.OnNew(Flow(2), Backend);
        _tracker.OnNew(Flow(3), Backend);
        _tracker.OnNew(Flow(4), Backend);
        ConntrackEntryInfo At(int i, TcpConntrackState state, ConntrackStatus status) =>
            new(ConntrackEventType.New, new ConntrackTuple(0xC6120A01u, 0xC6130001u, (ushort)(40000 + i), 80),
                new ConntrackTuple(Backend.Address, 0xC6120A01u, Backend.Port, (ushort)(40000 + i)), status, state, (uint)i, 0, 0);

        int decided = _tracker.Resync(
        [
            At(1, TcpConntrackState.Established, ConntrackStatus.SeenReply | ConntrackStatus.Assured),
            At(2, TcpConntrackState.Close, ConntrackStatus.SeenReply),
            At(3, TcpConntrackState.SynSent, 0),

            // Flow 4 is gone; flow 5's NEW event was lost and it still waits.
            At(5, TcpConntrackState.SynSent, 0),
        ]);

        Assert.Equal(2, decided);
        Assert.Equal((1L, 1L), (State.Successes, State.Failures));
        Assert.Equal(2, _tracker.PendingCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, _tracker.Sweep());
    }
}
