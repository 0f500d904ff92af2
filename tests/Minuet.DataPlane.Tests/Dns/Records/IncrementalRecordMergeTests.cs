using System.Net;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>
/// The incremental record set's merge (exact typed arrays, duplicates dropped in place) and its per-app caches
/// (reset on every rebuild) against the full builder.
/// </summary>
public sealed class IncrementalRecordMergeTests
{
    private static DnsRecordBuilder Builder() => new(new DnsRecordOptions { Masters = ["10.0.0.10:5050"] });

    [Theory]
    [InlineData(6)] // few values per shared name: scanned
    [InlineData(12)] // more than eight: hashed
    public void Rebuild_SharedNamesWithDuplicateAndMixedFamilies_EqualsFullBuild(int tasks)
    {
        // Every other task repeats an address, and half are IPv6: the app's shared names hold A and AAAA values
        // with duplicates, and the .slave names repeat the agent's address once per task.
        var list = new List<TaskInfo>();
        for (int i = 0; i < tasks; i++)
        {
            string ip = i % 2 == 0 ? "10.0.0." + (i / 4) : "fd00::" + (i / 4).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            list.Add(Task("web." + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), ip, discovery: i % 3 == 2 ? "Web.Group" : null));
        }

        var state = StateWith([.. list]);
        var builder = Builder();

        var incremental = new IncrementalRecordSet(builder).Rebuild(state, [], serial: 1);

        IncrementalRecordSetTests.AssertSameRecords(builder.Build(state, [], serial: 1), incremental);
        var shared = incremental.Names["web.marathon.mesos"];
        Assert.Equal(shared.A.Distinct().Count(), shared.A.Length);
        Assert.Equal(shared.Aaaa.Distinct().Count(), shared.Aaaa.Length);
        Assert.NotEmpty(shared.A);
        Assert.NotEmpty(shared.Aaaa);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void ApplyThenRebuild_RandomSequence_EveryStepAndTheRebuildEqualFullBuild(int seed)
    {
        var cluster = new RandomCluster(seed, initialTasks: 30);
        var builder = Builder();
        var incremental = new IncrementalRecordSet(builder);
        incremental.Rebuild(cluster.State(), [], serial: 1);
        for (uint step = 2; step < 40; step++)
        {
            var delta = incremental.Apply(cluster.NextDelta(), [], serial: step);
            Assert.NotNull(delta);
            IncrementalRecordSetTests.AssertSameRecords(builder.Build(cluster.State(), [], serial: step), delta.Current);
        }

        // A rebuild after deltas starts its per-app caches afresh and still gives the full builder's records.
        var rebuilt = incremental.Rebuild(cluster.State(), [], serial: 40);
        IncrementalRecordSetTests.AssertSameRecords(builder.Build(cluster.State(), [], serial: 40), rebuilt);
    }

    private static TaskInfo Task(string id, string ip, string? discovery) => new()
    {
        Id = id,
        Name = "web",
        FrameworkId = "fw",
        AgentId = "a-S0",
        State = "TASK_RUNNING",
        Ports = [new PortRange(31000, 31001)],
        Discovery = discovery is null ? null : new DiscoveryInfo { Name = discovery },
        Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", NetworkIpAddresses = [ip] }],
    };

    private static ClusterState StateWith(params TaskInfo[] tasks) => new()
    {
        Leader = "master@10.0.0.10:5050",
        Agents = [new AgentInfo { Id = "a-S0", Pid = "slave(1)@10.0.1.1:5051" }],
        Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
    };
}
