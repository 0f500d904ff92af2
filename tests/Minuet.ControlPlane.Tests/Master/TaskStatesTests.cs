using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Tests.Master;

public class TaskStatesTests
{
    [Theory]
    [InlineData(TaskState.Finished, true)]
    [InlineData(TaskState.Failed, true)]
    [InlineData(TaskState.Killed, true)]
    [InlineData(TaskState.Lost, true)]
    [InlineData(TaskState.Running, false)]
    [InlineData(TaskState.Killing, false)]
    [InlineData(TaskState.Unreachable, false)]
    public void IsTerminal_FollowsMesos(TaskState state, bool terminal)
    {
        Assert.Equal(terminal, state.IsTerminal());
    }

    [Fact]
    public void MesosNames_RoundTripForEveryState()
    {
        foreach (var state in Enum.GetValues<TaskState>())
        {
            Assert.True(TaskStates.TryParseMesosName(state.ToMesosName(), out var parsed));
            Assert.Equal(state, parsed);
        }

        Assert.False(TaskStates.TryParseMesosName("RUNNING", out _));
    }
}
