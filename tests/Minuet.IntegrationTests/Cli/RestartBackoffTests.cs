using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Next_ChildKeepsDyingAtOnce_DoublesFromOneSecondUpToThirty()
    {
        var backoff = new RestartBackoff();
        var delays = Enumerable.Range(0, 7).Select(_ => backoff.Next(TimeSpan.FromSeconds(2)).TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
        Assert.Equal(7, backoff.Restarts);
    }

    [Fact]
    public void Next_ChildRanAMinuteBeforeDying_StartsOverAtOneSecond()
    {
        var backoff = new RestartBackoff();
        _ = backoff.Next(TimeSpan.Zero);
        _ = backoff.Next(TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(4), backoff.Next(TimeSpan.FromSeconds(59)));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(137, "was killed by signal 9 (SIGKILL)")]
    [InlineData(143, "was killed by signal 15 (SIGTERM)")]
    [InlineData(1, "exited with code 1")]
    [InlineData(0, "exited with code 0")]
    public void Describe_ExitCode_NamesTheSignalAbove128(int code, string expected) => Assert.Equal(expected, ExitStatus.Describe(code));
}
