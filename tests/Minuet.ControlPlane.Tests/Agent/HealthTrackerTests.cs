using Minuet.ControlPlane.Agent.Health;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class HealthTrackerTests
{
    private static readonly HealthCheck Check = new() { Type = "TCP", GracePeriodSeconds = 10, ConsecutiveFailures = 3, KillOnUnhealthy = true };

    [Fact]
    public void OnResult_FailuresWithinGraceBeforeFirstSuccess_AreIgnored()
    {
        var tracker = new HealthTracker(Check, startedAt: 100);

        var verdict = tracker.OnResult(false, now: 105);

        Assert.False(verdict.Changed);
        Assert.Null(tracker.Healthy);
        Assert.Equal(0, tracker.ConsecutiveFailures);
    }

    [Fact]
    public void OnResult_FailureAfterGrace_CountsAndTurnsUnhealthy()
    {
        var tracker = new HealthTracker(Check, startedAt: 100);

        var verdict = tracker.OnResult(false, now: 111);

        Assert.True(verdict.Changed);
        Assert.False(verdict.Healthy);
        Assert.False(verdict.Kill);
        Assert.Equal(1, tracker.ConsecutiveFailures);
    }

    [Fact]
    public void OnResult_FailureWithinGraceAfterSuccess_Counts()
    {
        var tracker = new HealthTracker(Check, startedAt: 100);
        Assert.True(tracker.OnResult(true, now: 101).Changed);

        var verdict = tracker.OnResult(false, now: 102);

        Assert.True(verdict.Changed);
        Assert.False(tracker.Healthy);
    }

    [Fact]
    public void OnResult_ConsecutiveFailuresReachLimit_AsksForKillAndSuccessResets()
    {
        var tracker = new HealthTracker(Check, startedAt: 0);
        tracker.OnResult(true, 1);
        Assert.False(tracker.OnResult(false, 2).Kill);
        Assert.False(tracker.OnResult(false, 3).Kill);
        tracker.OnResult(true, 4);
        Assert.Equal(0, tracker.ConsecutiveFailures);
        tracker.OnResult(false, 5);
        tracker.OnResult(false, 6);

        var third = tracker.OnResult(false, 7);

        Assert.True(third.Kill);
        Assert.False(third.Changed);
        Assert.Equal(3, third.ConsecutiveFailures);
    }

    [Fact]
    public void OnResult_ZeroFailureLimitOrNoKillFlag_NeverKills()
    {
        var never = new HealthTracker(Check with { ConsecutiveFailures = 0 }, 0);
        var noKill = new HealthTracker(Check with { KillOnUnhealthy = false }, 0);
        bool killed = false;
        for (int i = 0; i < 10; i++)
        {
            killed |= never.OnResult(false, 20 + i).Kill | noKill.OnResult(false, 20 + i).Kill;
        }

        Assert.False(killed);
        Assert.False(never.Healthy);
    }

    [Fact]
    public void OnResult_ReadoptedHealthyTask_IsPastGrace()
    {
        var tracker = new HealthTracker(Check, startedAt: 100, initialHealthy: true);

        var verdict = tracker.OnResult(false, now: 101);

        Assert.True(verdict.Changed);
        Assert.False(verdict.Healthy);
    }
}
