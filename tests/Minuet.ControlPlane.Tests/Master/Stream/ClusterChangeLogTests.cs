using System.Text;
using Minuet.ControlPlane.Master.Stream;

namespace Minuet.ControlPlane.Tests.Master.Stream;

public class ClusterChangeLogTests
{
    private static byte[] Line(long v) => Encoding.UTF8.GetBytes($"{v}\n");

    private static List<string> Read(ClusterChangeLog log, long since, out bool ok, out long last)
    {
        var lines = new List<byte[]>();
        ok = log.TryReadAfter(since, lines, out last);
        return lines.Select(l => Encoding.UTF8.GetString(l).Trim()).ToList();
    }

    [Fact]
    public void TryReadAfter_WithinLog_ReturnsLaterDeltasInOrder()
    {
        var log = new ClusterChangeLog(10, baseVersion: 100);
        for (int i = 0; i < 5; i++)
        {
            log.Append(Line);
        }

        Assert.Equal(["103", "104", "105"], Read(log, 102, out bool ok, out long last));
        Assert.True(ok);
        Assert.Equal(105, last);
        Assert.Empty(Read(log, 105, out ok, out _));
        Assert.True(ok);
        Assert.Equal(5, Read(log, 100, out ok, out _).Count);
    }

    [Fact]
    public void TryReadAfter_OlderThanLogOrFromAnotherMaster_NeedsSnapshot()
    {
        var log = new ClusterChangeLog(3);
        for (int i = 0; i < 10; i++)
        {
            log.Append(Line);
        }

        Read(log, 6, out bool ok, out _);
        Assert.False(ok);
        Assert.Equal(["8", "9", "10"], Read(log, 7, out ok, out _));
        Assert.True(ok);
        Read(log, 50, out ok, out _);
        Assert.False(ok);
    }

    [Fact]
    public async Task WaitAfterAsync_CompletesOnAppend()
    {
        var log = new ClusterChangeLog(4);
        var wait = log.WaitAfterAsync(0, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        log.Append(Line);
        await wait.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(log.WaitAfterAsync(0, CancellationToken.None).IsCompleted);
    }
}
