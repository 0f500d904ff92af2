using System.Text;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

public sealed class MasterStreamStateTests
{
    private const string Snapshot = """
        {"type":"snapshot","version":10,"state":{"leader":"master@127.0.0.1:5050","slaves":[{"id":"S0","hostname":"a0","pid":"slave(1)@127.0.0.1:5051"}],
        "frameworks":[{"id":"F1","name":"marathon","tasks":[{"id":"web.1","name":"web","framework_id":"F1","slave_id":"S0","state":"TASK_RUNNING","statuses":[]}]}]}}
        """;

    private static string TaskLine(long version, string id, string state, string health = "")
    {
        string check = health.Length > 0 ? ",\"health_check\":{}" : string.Empty;
        return "{\"type\":\"task\",\"version\":" + version + ",\"framework_id\":\"F1\",\"task\":{\"id\":\"" + id
            + "\",\"name\":\"web\",\"framework_id\":\"F1\",\"slave_id\":\"S0\",\"state\":\"" + state
            + "\",\"statuses\":[{\"state\":\"" + state + "\",\"timestamp\":5" + health + "}]" + check + "}}";
    }

    private static MasterStreamState Start()
    {
        var state = new MasterStreamState();
        Assert.Null(state.Apply(Encoding.UTF8.GetBytes(Snapshot.ReplaceLineEndings(string.Empty)), out bool changed));
        Assert.True(changed);
        return state;
    }

    [Fact]
    public void Apply_Snapshot_BuildsAgentsFrameworksAndTasks()
    {
        var built = Start().Build();

        Assert.Equal(10, built.Version);
        Assert.Equal("S0", Assert.Single(built.Agents).Id);
        Assert.Equal("web.1", Assert.Single(Assert.Single(built.Frameworks).Tasks).Id);
    }

    [Fact]
    public void Apply_TaskLines_AddReplaceAndRemoveOnTerminalState()
    {
        var state = Start();

        Assert.Null(state.Apply(Encoding.UTF8.GetBytes(TaskLine(11, "web.2", "TASK_RUNNING")), out _));
        Assert.Equal(2, state.Build().Frameworks[0].Tasks.Count);
        Assert.Null(state.Apply(Encoding.UTF8.GetBytes(TaskLine(12, "web.1", "TASK_KILLED")), out bool changed));

        Assert.True(changed);
        Assert.Equal("web.2", Assert.Single(state.Build().Frameworks[0].Tasks).Id);
        Assert.Equal(12, state.Version);
    }

    [Fact]
    public void Apply_VersionGap_IsRejectedAndStateKept()
    {
        var state = Start();

        var error = state.Apply(Encoding.UTF8.GetBytes(TaskLine(13, "web.2", "TASK_RUNNING")), out bool changed);

        Assert.Equal("version", error?.Path);
        Assert.False(changed);
        Assert.Single(state.Build().Frameworks[0].Tasks);
        Assert.Equal(10, state.Version);
    }

    [Fact]
    public void Apply_HeartbeatAndBadLines_ChangeNothing()
    {
        var state = Start();

        Assert.Null(state.Apply("""{"type":"heartbeat","version":10}"""u8, out bool heartbeatChanged));
        Assert.NotNull(state.Apply("not json"u8, out _));
        Assert.Equal("task.slave_id", state.Apply("""{"type":"task","version":11,"framework_id":"F1","task":{"id":"x","state":"TASK_RUNNING"}}"""u8, out _)?.Path);

        Assert.False(heartbeatChanged);
        Assert.Equal(10, state.Version);
    }

    [Fact]
    public void Apply_DeltaBeforeSnapshot_IsRejected()
    {
        var error = new MasterStreamState().Apply(Encoding.UTF8.GetBytes(TaskLine(1, "web.1", "TASK_RUNNING")), out _);

        Assert.Equal("type", error?.Path);
    }

    [Fact]
    public void Apply_AgentRemovedAndFrameworkRemoved_LeaveTheState()
    {
        var state = Start();

        Assert.Null(state.Apply("""{"type":"agent_removed","version":11,"agent_id":"S0"}"""u8, out _));
        Assert.Null(state.Apply("""{"type":"framework_removed","version":12,"framework_id":"F1"}"""u8, out _));

        Assert.Empty(state.Build().Agents);
        Assert.Empty(state.Build().Frameworks);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(",\"healthy\":true", true)]
    [InlineData(",\"healthy\":false", false)]
    public void Apply_TaskHealth_DecidesIsServing(string health, bool serving)
    {
        var state = Start();
        string line = health.Length == 0 ? TaskLine(11, "web.1", "TASK_RUNNING") : TaskLine(11, "web.1", "TASK_RUNNING", health);

        Assert.Null(state.Apply(Encoding.UTF8.GetBytes(line), out _));

        Assert.Equal(serving, Assert.Single(state.Build().Frameworks[0].Tasks).IsServing);
    }

    [Fact]
    public void Apply_CheckedTaskWithoutVerdictYet_IsNotServing()
    {
        var state = Start();
        string line = """{"type":"task","version":11,"framework_id":"F1","task":{"id":"web.1","name":"web","slave_id":"S0","state":"TASK_RUNNING","statuses":[{"state":"TASK_RUNNING","timestamp":5}],"health_check":{"type":"HTTP"}}}""";

        Assert.Null(state.Apply(Encoding.UTF8.GetBytes(line), out _));

        var task = Assert.Single(state.Build().Frameworks[0].Tasks);
        Assert.True(task.HasHealthCheck);
        Assert.False(task.IsServing);
    }
}
