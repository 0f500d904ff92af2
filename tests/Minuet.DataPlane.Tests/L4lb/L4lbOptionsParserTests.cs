using Minuet.DataPlane.L4lb;

namespace Minuet.DataPlane.Tests.L4lb;

public class L4lbOptionsParserTests
{
    [Fact]
    public void Parse_Defaults_MinutemanValues()
    {
        var (options, errors) = L4lbOptionsParser.Parse(new L4lbArguments());

        Assert.Empty(errors);
        Assert.Equal("11.0.0.0/8", options!.VipRange.ToString());
        Assert.Equal("p2c", options.Policy);
        Assert.Equal(50, options.FirstQueue);
        Assert.Equal(TimeSpan.FromMilliseconds(400), options.Health.ConnectTimeout);
        Assert.Equal(5, options.Health.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Health.BenchPeriod);
        Assert.True(options.RealTimeQueueWorkers);
    }

    [Fact]
    public void Parse_RealTimeWorkersOff_KeptOff()
    {
        var (options, errors) = L4lbOptionsParser.Parse(new L4lbArguments { RealTimeQueueWorkers = false });

        Assert.Empty(errors);
        Assert.False(options!.RealTimeQueueWorkers);
    }

    [Fact]
    public void Parse_AllGiven_Applied()
    {
        var (options, errors) = L4lbOptionsParser.Parse(new L4lbArguments
        {
            VipRange = "198.19.0.0/16",
            QueueBalance = "60:63",
            Policy = "maglev",
            FailOpen = true,
            ConnectTimeoutMs = "250",
            FailureThreshold = "3",
            BenchSeconds = "10",
        });

        Assert.Empty(errors);
        Assert.Equal((60, 4), (options!.FirstQueue, options.QueueCount));
        Assert.Equal("maglev", options.Policy);
        Assert.True(options.FailOpen);
        Assert.Equal((TimeSpan.FromMilliseconds(250), 3, TimeSpan.FromSeconds(10)), (options.Health.ConnectTimeout, options.Health.FailureThreshold, options.Health.BenchPeriod));
    }

    [Fact]
    public void Parse_EveryBadOption_EachReportedByName()
    {
        var (options, errors) = L4lbOptionsParser.Parse(new L4lbArguments
        {
            VipRange = "198.19.0.1/16",
            QueueBalance = "53:50",
            Policy = "fastest",
            ConnectTimeoutMs = "soon",
            FailureThreshold = "0",
        });

        Assert.Null(options);
        Assert.Contains(errors, e => e.StartsWith("--vip-range:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--queue-balance:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--policy:", StringComparison.Ordinal) && e.Contains("p2c", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--connect-timeout-ms:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--failure-threshold:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("50", 50, 1)]
    [InlineData("50:51", 50, 2)]
    [InlineData("0:7", 0, 8)]
    public void TryParseQueues_Valid_FirstAndCount(string text, int first, int count)
    {
        Assert.True(L4lbOptionsParser.TryParseQueues(text, out int f, out int c, out _));
        Assert.Equal((first, count), (f, c));
    }

    [Theory]
    [InlineData("50:50")]
    [InlineData("x")]
    [InlineData("1:2:3")]
    [InlineData("70000")]
    public void TryParseQueues_Invalid_Rejected(string text) =>
        Assert.False(L4lbOptionsParser.TryParseQueues(text, out _, out _, out _));
}
