using Minuet.ControlPlane.Coordination;

namespace Minuet.ControlPlane.Tests.Coordination;

public sealed class LeaderDeathDetectorTests
{
    private static readonly LeaderTerm Term = new("""{"id":"a"}""", 40, 7001);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(200);

    private static LeaderDeathDetector Detector() => new(refusals: 4, span: 3 * Step, arm: TimeSpan.FromSeconds(2));

    /// <summary>Feeds <paramref name="count"/> probes of one result, one every <see cref="Step"/> from <paramref name="at"/>; true if any judged dead.</summary>
    private static bool Feed(LeaderDeathDetector detector, LeaderTerm term, ProbeResult result, int count, ref TimeSpan at)
    {
        bool dead = false;
        for (int i = 0; i < count; i++, at += Step)
        {
            dead |= detector.Observe(term, result, at);
        }

        return dead;
    }

    [Fact]
    public void Observe_RefusalsAfterTheTermServedSteadily_JudgesDeadOnTheFourthOnly()
    {
        var detector = Detector();
        var at = TimeSpan.FromSeconds(100);
        Assert.False(Feed(detector, Term, ProbeResult.Reached, 11, ref at)); // 2 s of answers: armed
        Assert.False(Feed(detector, Term, ProbeResult.Refused, 3, ref at));
        Assert.True(detector.Observe(Term, ProbeResult.Refused, at));
    }

    [Fact]
    public void Observe_TimeoutsOnly_NeverJudgesALeaderDead()
    {
        var detector = Detector();
        var at = TimeSpan.Zero;
        Feed(detector, Term, ProbeResult.Reached, 11, ref at);
        Assert.False(Feed(detector, Term, ProbeResult.NoAnswer, 500, ref at)); // a vanished or cut-off host: the lease decides
    }

    [Fact]
    public void Observe_TimeoutBetweenRefusals_StartsTheCountAgain()
    {
        var detector = Detector();
        var at = TimeSpan.Zero;
        Feed(detector, Term, ProbeResult.Reached, 11, ref at);
        for (int round = 0; round < 50; round++)
        {
            Assert.False(Feed(detector, Term, ProbeResult.Refused, 3, ref at));
            Assert.False(Feed(detector, Term, ProbeResult.NoAnswer, 1, ref at));
        }
    }

    [Fact]
    public void Observe_RefusalsBeforeTheAddressServedSteadily_NeverJudgesDead()
    {
        // A scheduler swaps its standby listener for its leader's right after winning: answered, refused, answered.
        var detector = Detector();
        var at = TimeSpan.Zero;
        Assert.False(Feed(detector, Term, ProbeResult.Refused, 20, ref at)); // never reached: a wrong address
        Assert.False(Feed(detector, Term, ProbeResult.Reached, 3, ref at));
        Assert.False(Feed(detector, Term, ProbeResult.Refused, 20, ref at)); // reached only briefly: not armed
    }

    [Fact]
    public void Observe_RefusalsOfANewTerm_DoNotUseTheOldTermsArming()
    {
        var detector = Detector();
        var at = TimeSpan.Zero;
        Feed(detector, Term, ProbeResult.Reached, 11, ref at);
        var next = Term with { CreateRevision = 41, Lease = 7002 }; // a new leader, maybe at the same address
        Assert.False(Feed(detector, next, ProbeResult.Refused, 20, ref at));
    }

    [Fact]
    public void Observe_RefusalsSpanningLessThanTheSpan_AreNotEnough()
    {
        var detector = new LeaderDeathDetector(refusals: 2, span: TimeSpan.FromSeconds(1), arm: TimeSpan.Zero);
        var at = TimeSpan.Zero;
        Assert.False(detector.Observe(Term, ProbeResult.Reached, at));
        Assert.False(detector.Observe(Term, ProbeResult.Refused, at += Step));
        Assert.False(detector.Observe(Term, ProbeResult.Refused, at += Step)); // two refusals within 200 ms
        Assert.True(detector.Observe(Term, ProbeResult.Refused, at + TimeSpan.FromSeconds(1)));
    }
}
