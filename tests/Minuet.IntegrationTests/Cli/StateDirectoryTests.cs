using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

/// <summary>A state directory up cannot use is refused up front with the reason, not a stack trace mid-start.</summary>
public sealed class StateDirectoryTests
{
    [Fact]
    public void Check_WritableDirectory_Usable()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-statedir-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Assert.Null(StateDirectory.Check(dir));
            Assert.Empty(Directory.GetFiles(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Check_PathUnderAFile_ReasonWithoutException()
    {
        string? reason = StateDirectory.Check("/proc/version/minuet");

        Assert.NotNull(reason);
        Assert.DoesNotContain("   at ", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_HomeItCannotWrite_ExitsWithTheReasonAndTheFlag()
    {
        // A HOME that is a file: nobody, root included, can make ~/.minuet there.
        var result = await CliProcess.RunAsync(
            new Dictionary<string, string> { ["HOME"] = "/proc/version", ["MINUET_STATE_DIR"] = string.Empty, ["DOTNET_CLI_HOME"] = Path.GetTempPath() },
            "up", "--l4lb", "off", "--no-docker");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--state-dir: cannot use /proc/version/.minuet", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
