using Minuet.Cli.Verbs;

namespace Minuet.IntegrationTests.Cli;

/// <summary>Duration flags: every refusal names the flag and says what is wrong with the value.</summary>
public sealed class DurationFlagsTests
{
    [Theory]
    [InlineData("0s")]
    [InlineData("0")]
    [InlineData("0ms")]
    [InlineData("-0s")]
    [InlineData("-5s")]
    public void Positive_ZeroOrNegative_RefusedNamingTheFlag(string text)
    {
        var errors = new List<string>();

        DurationFlags.Positive("--agent-ping-timeout", text, errors);

        Assert.Equal($"--agent-ping-timeout: '{text}' must be more than zero (e.g. 15s, 500ms, 2mins)", Assert.Single(errors));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("")]
    [InlineData("1e300s")]
    public void Positive_NotADuration_RefusedNamingTheFlag(string text)
    {
        var errors = new List<string>();

        DurationFlags.Positive("--allocation-interval", text, errors);

        Assert.Equal($"--allocation-interval: '{text}' is not a duration (e.g. 15s, 500ms, 2mins)", Assert.Single(errors));
    }

    [Theory]
    [InlineData("15s", 15_000)]
    [InlineData("500ms", 500)]
    [InlineData("2mins", 120_000)]
    [InlineData("2min", 120_000)]
    [InlineData("15secs", 15_000)]
    [InlineData("1hrs", 3_600_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("3", 3_000)]
    public void Positive_Duration_Read(string text, int milliseconds)
    {
        var errors = new List<string>();

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), DurationFlags.Positive("--agent-ping-timeout", text, errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void NonNegative_ZeroAcceptedNegativeRefused()
    {
        var errors = new List<string>();

        Assert.Equal(TimeSpan.Zero, DurationFlags.NonNegative("--default-kill-grace", "0s", errors));
        Assert.Empty(errors);
        DurationFlags.NonNegative("--default-kill-grace", "-3s", errors);
        Assert.Equal("--default-kill-grace: '-3s' cannot be negative (e.g. 15s, 500ms, 2mins)", Assert.Single(errors));
    }
}
