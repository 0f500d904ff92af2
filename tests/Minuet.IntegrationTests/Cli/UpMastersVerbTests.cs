namespace Minuet.IntegrationTests.Cli;

/// <summary><c>up --masters N</c>'s checks, before anything starts.</summary>
public sealed class UpMastersVerbTests
{
    [Fact]
    public async Task Up_ThreeMastersWithoutEtcdInstalled_SaysToInstallEtcdServerAndStartsNothing()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-noetcd-" + Guid.NewGuid().ToString("N")[..8]);
        var result = await CliProcess.RunAsync(new Dictionary<string, string> { ["PATH"] = "/nonexistent-minuet-path" }, "up", "--no-docker", "--masters", "3", "--state-dir", dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--masters 3: needs etcd, which is not installed", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("apt-get install etcd-server", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir)); // nothing created, nothing started
    }

    [Fact]
    public async Task Up_EvenMasterCount_IsRefusedNamingTheFlag()
    {
        var result = await CliProcess.RunAsync("up", "--no-docker", "--masters", "2", "--state-dir", Path.GetTempPath());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--masters: must be 1, 3 or 5", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_LeaderTtlWithOneMaster_IsRefusedNamingTheFlag()
    {
        var result = await CliProcess.RunAsync("up", "--no-docker", "--leader-ttl", "3s", "--state-dir", Path.GetTempPath());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--leader-ttl: only with --masters 3 or 5", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1s", "below etcd's shortest lease")]
    [InlineData("soon", "--leader-ttl")]
    public async Task Up_LeaderTtlOutOfRange_IsRefusedNamingTheFlag(string ttl, string expected)
    {
        var result = await CliProcess.RunAsync("up", "--no-docker", "--masters", "3", "--leader-ttl", ttl, "--state-dir", Path.GetTempPath());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--leader-ttl", result.StdErr, StringComparison.Ordinal);
    }
}
