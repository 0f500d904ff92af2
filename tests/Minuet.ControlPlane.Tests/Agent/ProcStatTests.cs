using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class ProcStatTests
{
    [Fact]
    public void Parse_CommandWithSpacesAndParens_ReadsStateGroupAndStartTime()
    {
        const string line = "4242 (my (odd) cmd) S 1 4240 4240 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 987654 0 0";

        var stat = ProcStat.Parse(4242, line);

        Assert.NotNull(stat);
        Assert.Equal('S', stat.Value.State);
        Assert.Equal(4240, stat.Value.ProcessGroup);
        Assert.Equal(987654, stat.Value.StartTime);
    }

    [Fact]
    public void Parse_Truncated_IsNull()
    {
        Assert.Null(ProcStat.Parse(1, "1 (init) S 0 1"));
        Assert.Null(ProcStat.Parse(1, "garbage"));
    }

    [Fact]
    public void TryRead_OwnProcess_IsAliveAndSameProcess()
    {
        int pid = Environment.ProcessId;

        var stat = ProcStat.TryRead(pid);

        Assert.NotNull(stat);
        Assert.True(stat.Value.IsAlive);
        Assert.True(ProcStat.IsSameLiveProcess(pid, stat.Value.StartTime));
        Assert.False(ProcStat.IsSameLiveProcess(pid, stat.Value.StartTime + 1));
        Assert.False(ProcStat.IsTaskGroup(pid, stat.Value.StartTime + 1));
    }
}
