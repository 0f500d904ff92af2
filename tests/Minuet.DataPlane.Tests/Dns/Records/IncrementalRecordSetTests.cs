using System.Net;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.Dns.Records;

public sealed class IncrementalRecordSetTests
{
    private static readonly DnsRecordType[] Types =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Srv, DnsRecordType.Soa, DnsRecordType.Ns, DnsRecordType.Any];

    private static DnsRecordBuilder Builder() => new(new DnsRecordOptions { Masters = ["10.0.0.10:5050"] });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ApplyDeltas_RandomSequence_AnswersEqualFullRebuildByteForByte(int seed)
    {
        var cluster = new RandomCluster(seed, initialTasks: 40);
        var builder = Builder();
        var incremental = new IncrementalRecordSet(builder);
        var updater = new DnsAnswerUpdater();
        NamedVipAddress[] vips = [new("web", "marathon", IPAddress.Parse("11.0.0.1"))];
        var index = updater.Update(incremental.Rebuild(cluster.State(), vips, serial: 1), null);
        int incrementalSteps = 0;
        for (uint step = 2; step < 80; step++)
        {
            if (step % 20 == 0)
            {
                vips = [.. vips, new NamedVipAddress("app" + step, "marathon", IPAddress.Parse("11.0.0." + step))];
            }

            var delta = incremental.Apply(cluster.NextDelta(), vips, serial: step);
            Assert.NotNull(delta);
            index = updater.Update(delta.Current, delta);
            incrementalSteps += updater.LastWasIncremental ? 1 : 0;
        }

        Assert.Equal(78, incrementalSteps);
        var full = builder.Build(cluster.State(), vips, serial: 79);
        AssertSameRecords(full, incremental.Current!);
        AssertSameAnswers(DnsAnswerCompiler.Compile(full), index);
    }

    [Fact]
    public void Apply_TaskRemoved_ChangesOnlyItsNamesAndKeepsSharedOnes()
    {
        var state = StateWith(Task("web.1", "10.0.0.1"), Task("web.2", "10.0.0.2"));
        var incremental = new IncrementalRecordSet(Builder());
        var before = incremental.Rebuild(state, [], serial: 1);

        var delta = incremental.Apply([new TaskChange("fw", "web.1", null)], [], serial: 2)!;

        Assert.Same(before, delta.Previous);
        Assert.Contains("web.marathon.mesos", delta.ChangedNames);
        Assert.DoesNotContain(delta.ChangedNames, n => n.StartsWith("slave", StringComparison.Ordinal) || n.StartsWith("leader", StringComparison.Ordinal));
        Assert.Equal(["10.0.0.2"], delta.Current.Names["web.marathon.mesos"].A.Select(ip => ip.ToString()));
        Assert.DoesNotContain(delta.Current.Names.Keys, n => n.Contains(TaskHashOf("web.1"), StringComparison.Ordinal));
        Assert.Equal(before.Names.Count - delta.ChangedNames.Count(n => !delta.Current.Names.ContainsKey(n)), delta.Current.Names.Count);
    }

    [Fact]
    public void Apply_TaskOfUnknownFramework_AsksForRebuild()
    {
        var incremental = new IncrementalRecordSet(Builder());
        incremental.Rebuild(StateWith(Task("web.1", "10.0.0.1")), [], serial: 1);

        Assert.Null(incremental.Apply([new TaskChange("other-fw", "t", Task("t", "10.0.0.1") with { FrameworkId = "other-fw" })], [], serial: 2));
    }

    [Fact]
    public void Apply_BeforeAnyRebuild_AsksForRebuild() =>
        Assert.Null(new IncrementalRecordSet(Builder()).Apply([], [], serial: 1));

    [Fact]
    public void Update_LastTaskOfApp_RemovesEmptyNonTerminalAndNewTaskRestoresIt()
    {
        var builder = Builder();
        var incremental = new IncrementalRecordSet(builder);
        var updater = new DnsAnswerUpdater();
        var index = updater.Update(incremental.Rebuild(StateWith(Task("web.1", "10.0.0.1")), [], 1), null);
        Assert.Equal(DnsRcode.NoError, Rcode(index, "_tcp.marathon.mesos"));

        var removed = incremental.Apply([new TaskChange("fw", "web.1", null)], [], 2)!;
        index = updater.Update(removed.Current, removed);
        Assert.True(updater.LastWasIncremental);
        Assert.Equal(DnsRcode.NxDomain, Rcode(index, "_tcp.marathon.mesos"));
        Assert.Equal(DnsRcode.NxDomain, Rcode(index, "web.marathon.mesos"));

        var added = incremental.Apply([new TaskChange("fw", "web.2", Task("web.2", "10.0.0.2"))], [], 3)!;
        index = updater.Update(added.Current, added);
        Assert.Equal(DnsRcode.NoError, Rcode(index, "_tcp.marathon.mesos"));
        AssertSameAnswers(DnsAnswerCompiler.Compile(builder.Build(StateWith(Task("web.2", "10.0.0.2")), [], 3)), index);
    }

    [Fact]
    public void Update_DeltaNotFromLastCompiledSet_CompilesEverything()
    {
        var incremental = new IncrementalRecordSet(Builder());
        var updater = new DnsAnswerUpdater();
        incremental.Rebuild(StateWith(Task("web.1", "10.0.0.1")), [], 1);
        var skipped = incremental.Apply([new TaskChange("fw", "web.2", Task("web.2", "10.0.0.2"))], [], 2)!;
        updater.Update(skipped.Previous, null);
        var next = incremental.Apply([new TaskChange("fw", "web.3", Task("web.3", "10.0.0.3"))], [], 3)!;

        var index = updater.Update(next.Current, next);

        Assert.False(updater.LastWasIncremental);
        Assert.Equal(DnsRcode.NoError, Rcode(index, "web-" + TaskHashOf("web.2") + "-s0.marathon.mesos"));
    }

    internal static void AssertSameRecords(DnsRecordSet expected, DnsRecordSet actual)
    {
        Assert.Equal(expected.Names.Keys.Order(StringComparer.Ordinal), actual.Names.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, records) in expected.Names)
        {
            var other = actual.Names[name];
            Assert.True(records.A.SequenceEqual(other.A), name);
            Assert.True(records.Aaaa.SequenceEqual(other.Aaaa), name);
            Assert.True(records.Srv.SequenceEqual(other.Srv), name);
            Assert.Equal(records.Ttl, other.Ttl);
        }
    }

    /// <summary>Same names (with empty non-terminals), and every type's every rotation gives the same bytes.</summary>
    internal static void AssertSameAnswers(DnsAnswerIndex expected, DnsAnswerIndex actual)
    {
        var names = expected.Names.Items().Select(i => DnsName.ToText(i.Key)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, actual.Names.Items().Select(i => DnsName.ToText(i.Key)).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Names.Count, actual.Names.Count);
        var a = new byte[ushort.MaxValue + 16];
        var b = new byte[ushort.MaxValue + 16];
        foreach (string name in names)
        {
            foreach (var type in Types)
            {
                var query = DnsTestMessages.Query(name, type);
                for (uint r = 0; r < DnsAnswerCompiler.MaxRotations; r++)
                {
                    var x = DnsResponder.Respond(expected, query, a, tcp: true, forwarding: true, r);
                    var y = DnsResponder.Respond(actual, query, b, tcp: true, forwarding: true, r);
                    Assert.True(a.AsSpan(0, x.Length).SequenceEqual(b.AsSpan(0, y.Length)), $"{name} {type} rotation {r}");
                }
            }
        }
    }

    private static DnsRcode Rcode(DnsAnswerIndex index, string name)
    {
        var output = new byte[ushort.MaxValue];
        var response = DnsResponder.Respond(index, DnsTestMessages.Query(name, DnsRecordType.A), output, tcp: true, forwarding: false, 0);
        return response.Rcode;
    }

    private static string TaskHashOf(string id)
    {
        Span<byte> hash = stackalloc byte[TaskHash.Length];
        TaskHash.Compute(id, hash);
        return System.Text.Encoding.ASCII.GetString(hash);
    }

    private static TaskInfo Task(string id, string ip) => new()
    {
        Id = id,
        Name = "web",
        FrameworkId = "fw",
        AgentId = "a-S0",
        State = "TASK_RUNNING",
        Ports = [new PortRange(31000, 31000)],
        Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", NetworkIpAddresses = [ip] }],
    };

    private static ClusterState StateWith(params TaskInfo[] tasks) => new()
    {
        Leader = "master@10.0.0.10:5050",
        Agents = [new AgentInfo { Id = "a-S0", Pid = "slave(1)@10.0.1.1:5051" }],
        Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
    };
}
