namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// Decides from a standby's probes of the leader's address that the leading process is dead while its host lives
/// (the common fault: a crash or kill -9), so its key can be removed before its lease runs out. Only refusals count:
/// a refused connect is the host's kernel saying nothing listens on the port. A timeout or an unreachable host
/// proves nothing (a partition looks the same as a dead host), so it resets the count and the lease decides.
/// Refusals count only once the term is armed: its address answered every probe for <see cref="Arm"/> with no
/// refusal between. So a wrong or filtered advertised address, a leader still binding its port after winning, or a
/// service that swaps its standby listener for its leader's right after the election (the scheduler, the jobs
/// service) never looks dead. Dead means <see cref="Refusals"/> refusals in a row spanning at least
/// <see cref="Span"/>, so one missed accept cannot depose. Not thread-safe: one probe loop owns it.
/// </summary>
internal sealed class LeaderDeathDetector
{
    private LeaderTerm? _term;
    private TimeSpan? _reachedSince;
    private bool _armed;
    private int _refusals;
    private TimeSpan _firstRefusal;

    public LeaderDeathDetector(int refusals, TimeSpan span, TimeSpan arm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(refusals, 1);
        Refusals = refusals;
        Span = span;
        Arm = arm;
    }

    public int Refusals { get; }

    public TimeSpan Span { get; }

    public TimeSpan Arm { get; }

    /// <summary>The term whose refusals would count now (its address served steadily), or null.</summary>
    public LeaderTerm? ArmedFor => _armed ? _term : null;

    /// <summary>Feeds one probe of <paramref name="term"/>'s address made at <paramref name="now"/> (any monotonic clock); true once that term's process is judged dead.</summary>
    public bool Observe(LeaderTerm term, ProbeResult result, TimeSpan now)
    {
        if (!Equals(term, _term))
        {
            Reset();
            _term = term;
        }

        switch (result)
        {
            case ProbeResult.Reached:
                _refusals = 0;
                _reachedSince ??= now;
                _armed |= now - _reachedSince.Value >= Arm;
                return false;
            case ProbeResult.Refused when _armed:
                if (_refusals++ == 0)
                {
                    _firstRefusal = now;
                }

                return _refusals >= Refusals && now - _firstRefusal >= Span;
            case ProbeResult.Refused:
                _reachedSince = null; // not yet serving steadily: the listener is still changing hands
                return false;
            default:
                _refusals = 0;
                return false;
        }
    }

    /// <summary>Forgets everything (this candidate leads, or nobody does).</summary>
    public void Reset()
    {
        _term = null;
        _reachedSince = null;
        _armed = false;
        _refusals = 0;
    }
}
