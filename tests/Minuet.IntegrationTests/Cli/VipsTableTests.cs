using Minuet.Cli.Verbs;

namespace Minuet.IntegrationTests.Cli;

public class VipsTableTests
{
    [Fact]
    public void TryFormat_MinutemanJson_OneLinePerBackend()
    {
        const string Json = "{\"vips\":{\"198.19.0.10:80\":{" +
            "\"198.18.1.1:31000\":{\"pending_connections\":2,\"total_failures\":1,\"total_sucesses\":7,\"total_successes\":7,\"is_healthy\":true,\"latency_last_60s\":{\"99\":1.25}}," +
            "\"198.18.1.2:31000\":{\"pending_connections\":0,\"total_failures\":5,\"total_sucesses\":0,\"total_successes\":0,\"is_healthy\":false,\"latency_last_60s\":{}}}}}";

        Assert.True(VipsTable.TryFormat(Json, out var table, out _));
        var lines = table.TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^VIP\s+BACKEND\s+PENDING\s+OK\s+FAILED\s+HEALTHY\s+P99 MS$", lines[0]);
        Assert.Matches(@"^198\.19\.0\.10:80\s+198\.18\.1\.1:31000\s+2\s+7\s+1\s+yes\s+1\.25$", lines[1]);
        Assert.Matches(@"^198\.19\.0\.10:80\s+198\.18\.1\.2:31000\s+0\s+0\s+5\s+no\s+-$", lines[2]);
    }

    [Fact]
    public void TryFormat_NoVipsObject_ReasonGiven()
    {
        Assert.False(VipsTable.TryFormat("{\"other\":1}", out _, out var reason));
        Assert.Contains("vips", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vips_NothingListening_FailsWithHint()
    {
        var result = await CliProcess.RunAsync("vips", "--http", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("minuet dataplane", result.StdErr, StringComparison.Ordinal);
    }
}
