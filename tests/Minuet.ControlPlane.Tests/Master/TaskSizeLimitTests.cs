using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>Issue: a 10 MB <c>cmd</c> was accepted and grew scheduler, master and agent by hundreds of MB each.</summary>
public class TaskSizeLimitTests
{
    private static LaunchTaskRequest Launch(CommandInfo command, IReadOnlyList<Label>? labels = null) => new()
    {
        TaskId = "t1",
        Name = "web",
        FrameworkId = "f1",
        AgentId = "a1",
        Command = command,
        Resources = new ResourceSet { Cpus = 0.1, Mem = 32 },
        Labels = labels ?? [],
    };

    [Fact]
    public void Validate_CommandLongerThanTheKernelExecs_NamesTheFieldAndTheLimit()
    {
        var errors = ProtocolValidator.Validate(Launch(new CommandInfo { Value = new string('x', 200_000) }));
        var error = Assert.Single(errors, e => e.Path == "/command/value");
        Assert.Contains("131072", error.Errors[0], StringComparison.Ordinal);
        Assert.Contains("200000 bytes", error.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyArgumentsEachUnderTheLimitButTooMuchTogether_NamesTheCommand()
    {
        var arguments = Enumerable.Range(0, 10).Select(_ => new string('a', 120_000)).ToList();
        var errors = ProtocolValidator.Validate(Launch(new CommandInfo { Shell = false, Value = "/bin/echo", Arguments = arguments }));
        Assert.Equal(["/command"], errors.Select(e => e.Path));
        Assert.Contains("1048576", errors[0].Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TooManyLabelsAndHugeEnvironmentValue_NameEachField()
    {
        var labels = Enumerable.Range(0, 300).Select(i => new Label($"k{i}", "v")).ToList();
        var env = new Dictionary<string, string> { ["BIG"] = new string('v', 150_000) };
        var errors = ProtocolValidator.Validate(Launch(new CommandInfo { Value = "true", Environment = env }, labels));
        Assert.Contains(errors, e => e.Path == "/labels" && e.Errors[0].Contains("256", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "/command/environment/BIG");
    }

    [Fact]
    public void Validate_TaskWithinEveryLimit_HasNoErrors()
    {
        var env = new Dictionary<string, string> { ["A"] = new string('v', 100_000) };
        Assert.Empty(ProtocolValidator.Validate(Launch(new CommandInfo { Value = new string('x', 100_000), Environment = env }, [new Label("k", "v")])));
    }

    [Fact]
    public void Accept_TenMegabyteCommand_ThatTaskAloneFailsNamingTheLimitAndTheMasterDoesNotKeepIt()
    {
        var m = new TestMaster();
        m.RegisterAgent();
        var (framework, connection) = m.Subscribe();
        var offer = Assert.Single(m.Offers(connection));
        var huge = TestMaster.Task("huge") with { Command = new TaskCommand { Value = new string('x', 10 * 1024 * 1024) } };

        Assert.Null(m.Core.Accept(framework, new AcceptRequest { OfferIds = [offer.Id], Tasks = [huge, TestMaster.Task("small")] }));

        Assert.Equal(["small"], m.Dispatcher.Launches.Select(l => l.Launch.TaskId));
        Assert.False(m.Core.Tasks.ContainsKey("huge"));
        var error = TestMaster.Drain(connection).Single(e => e.Type == "UPDATE" && e.Update!.TaskId == "huge").Update!;
        Assert.Equal("TASK_ERROR", error.State);
        Assert.Contains("/command/value", error.Message, StringComparison.Ordinal);
        Assert.Contains("131072", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message!.Length < 1000, "the error names the field, it does not echo the value");
    }
}
