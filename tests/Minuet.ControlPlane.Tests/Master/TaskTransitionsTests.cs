using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Tests.Master;

public class TaskTransitionsTests
{
    [Theory]
    [InlineData(TaskState.Staging, TaskState.Starting)]
    [InlineData(TaskState.Staging, TaskState.Running)]
    [InlineData(TaskState.Starting, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Killing)]
    [InlineData(TaskState.Killing, TaskState.Killed)]
    [InlineData(TaskState.Running, TaskState.Finished)]
    [InlineData(TaskState.Staging, TaskState.Dropped)]
    [InlineData(TaskState.Running, TaskState.Unreachable)]
    [InlineData(TaskState.Unreachable, TaskState.Running)]
    [InlineData(TaskState.Unreachable, TaskState.Gone)]
    [InlineData(TaskState.Lost, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Running)]
    public void Validate_MesosPaths_Allowed(TaskState from, TaskState to)
    {
        Assert.Null(TaskTransitions.Validate(from, to));
    }

    [Theory]
    [InlineData(TaskState.Finished, TaskState.Running)]
    [InlineData(TaskState.Killed, TaskState.Killing)]
    [InlineData(TaskState.Failed, TaskState.Failed)]
    [InlineData(TaskState.Error, TaskState.Staging)]
    [InlineData(TaskState.Gone, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Staging)]
    [InlineData(TaskState.Running, TaskState.Starting)]
    [InlineData(TaskState.Killing, TaskState.Starting)]
    [InlineData(TaskState.Running, TaskState.Unknown)]
    public void Validate_TerminalOrBackwards_Refused(TaskState from, TaskState to)
    {
        Assert.NotNull(TaskTransitions.Validate(from, to));
    }

    [Fact]
    public void Validate_EveryTerminalExceptLost_IsFinal()
    {
        foreach (var from in Enum.GetValues<TaskState>().Where(s => s.IsTerminal() && s != TaskState.Lost))
        {
            foreach (var to in Enum.GetValues<TaskState>())
            {
                Assert.False(TaskTransitions.IsAllowed(from, to), $"{from} -> {to}");
            }
        }
    }
}
