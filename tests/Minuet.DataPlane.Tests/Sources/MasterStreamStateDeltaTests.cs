using System.Text;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;
using Minuet.DataPlane.Tests.Dns.Records;

namespace Minuet.DataPlane.Tests.Sources;

public sealed class MasterStreamStateDeltaTests
{
    private const string Snapshot = """
        {"type":"snapshot","version":10,"state":{"leader":"master@127.0.0.1:5050","slaves":[{"id":"S0","hostname":"a0","pid":"slave(1)@127.0.0.1:5051"}],
        "frameworks":[{"id":"F1","name":"marathon","tasks":[{"id":"web.1","name":"web","framework_id":"F1","slave_id":"S0","state":"TASK_RUNNING","statuses":[]}]}]}}
        """;

    private static string TaskLine(long version, string id, string state, string framework = "F1") =>
        "{\"type\":\"task\",\"version\":" + version + ",\"framework_id\":\"" + framework + "\",\"task\":{\"id\":\"" + id
        + "\",\"name\":\"web\",\"framework_id\":\"" + framework + "\",\"slave_id\":\"S0\",\"state\":\"" + state
        + "\",\"resources\":{\"ports\":\"[31000-31000]\"},\"statuses\":[{\"state\":\"" + state + "\",\"timestamp\":5}]}}";

    private static MasterStreamState Start()
    {
        var state = new MasterStreamState();
        Assert.Null(state.Apply(Bytes(Snapshot.ReplaceLineEndings(string.Empty)), out _));
        return state;
    }

    private static byte[] Bytes(string line) => Encoding.UTF8.GetBytes(line);

    [Fact]
    public void TakeDelta_AfterSnapshot_AsksForRebuildThenListsTaskLines()
    {
        var state = Start();
        Assert.True(state.TakeDelta().Rebuild);

        Assert.Null(state.Apply(Bytes(TaskLine(11, "web.2", "TASK_RUNNING")), out _));
        Assert.Null(state.Apply(Bytes(TaskLine(12, "web.1", "TASK_KILLED")), out _));
        var delta = state.TakeDelta();

        Assert.False(delta.Rebuild);
        Assert.Equal(["web.2 running", "web.1 gone"], delta.Tasks.Select(c => c.TaskId + (c.Task is null ? " gone" : " running")));
        Assert.Empty(state.TakeDelta().Tasks);
    }

    [Fact]
    public void TakeDelta_NewAgentOrUnknownFramework_AsksForRebuild()
    {
        var state = Start();
        state.TakeDelta();

        Assert.Null(state.Apply(Bytes("{\"type\":\"agent\",\"version\":11,\"agent\":{\"id\":\"S1\",\"hostname\":\"a1\",\"pid\":\"slave(1)@127.0.0.2:5051\"}}"), out _));
        Assert.True(state.TakeDelta().Rebuild);

        Assert.Null(state.Apply(Bytes(TaskLine(12, "x.1", "TASK_RUNNING", framework: "F9")), out _));
        Assert.True(state.TakeDelta().Rebuild);
    }

    [Fact]
    public void TakeDelta_SameAgentAgain_IsNoRebuild()
    {
        var state = Start();
        state.TakeDelta();

        Assert.Null(state.Apply(Bytes("{\"type\":\"agent\",\"version\":11,\"agent\":{\"id\":\"S0\",\"hostname\":\"a0\",\"pid\":\"slave(1)@127.0.0.1:5051\"}}"), out _));

        Assert.False(state.TakeDelta().Rebuild);
    }

    [Fact]
    public void Build_TasksComeInIdOrder()
    {
        var state = Start();
        Assert.Null(state.Apply(Bytes(TaskLine(11, "web.0", "TASK_RUNNING")), out _));
        Assert.Null(state.Apply(Bytes(TaskLine(12, "web.3", "TASK_RUNNING")), out _));

        Assert.Equal(["web.0", "web.1", "web.3"], state.Build().Frameworks[0].Tasks.Select(t => t.Id));
    }

    [Fact]
    public async Task ApplyStateAsync_StreamDeltas_PublishesWhatAFullBuildWould()
    {
        var fixture = new PipelineFixture();
        var state = Start();
        var answers = new DnsAnswerUpdater();
        Assert.True(await fixture.Pipeline.ApplyStateAsync(state.Build(), "test", state.TakeDelta(), CancellationToken.None));
        answers.Update(fixture.Store.Current!.Records, fixture.Store.Current.RecordDelta);
        Assert.Null(fixture.Store.Current.RecordDelta);

        for (int i = 0; i < 6; i++)
        {
            string line = TaskLine(11 + i, "web." + (i % 4), i % 3 == 2 ? "TASK_FAILED" : "TASK_RUNNING");
            Assert.Null(state.Apply(Bytes(line), out _));
            Assert.True(await fixture.Pipeline.ApplyStateAsync(state.Build(), "test", state.TakeDelta(), CancellationToken.None));
            var snapshot = fixture.Store.Current!;
            Assert.NotNull(snapshot.RecordDelta);
            answers.Update(snapshot.Records, snapshot.RecordDelta);
            Assert.True(answers.LastWasIncremental);
        }

        var current = fixture.Store.Current!;
        var full = new DnsRecordBuilder(new DnsRecordOptions()).Build(current.State, current.NamedVips, current.Records.Zone.Serial);
        IncrementalRecordSetTests.AssertSameRecords(full, current.Records);
    }
}
