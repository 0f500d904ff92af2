using System.Net;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Dns.Records;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.Dns.Answers;

/// <summary>Answers compiled on first query (the server's index) against answers compiled up front.</summary>
public sealed class LazyAnswerTests
{
    private static readonly DnsRecordType[] Types =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Srv, DnsRecordType.Soa, DnsRecordType.Ns, DnsRecordType.Any];

    public static TheoryData<string> RecordSets => new() { "small", "large", "generated" };

    [Theory]
    [MemberData(nameof(RecordSets))]
    public void Compile_LazyIndex_AnswersEqualEagerByteForByte(string set)
    {
        var records = Set(set);

        var eager = DnsAnswerCompiler.CompileEager(records);
        var lazy = DnsAnswerCompiler.Compile(records);

        Assert.IsType<LazyNameTable>(lazy.Names);
        Assert.Equal(eager.SkippedNames, lazy.SkippedNames);
        IncrementalRecordSetTests.AssertSameAnswers(eager, lazy);
    }

    [Theory]
    [MemberData(nameof(RecordSets))]
    public void Compile_LazyIndex_MissingAndMixedCaseNamesAnswerAsEager(string set)
    {
        var records = Set(set);
        var eager = DnsAnswerCompiler.CompileEager(records);
        var lazy = DnsAnswerCompiler.Compile(records);
        var names = records.Names.Keys.Take(50).ToList();
        // Mixed case, names that do not exist (inside and outside the zones), parents, and a label holding a dot.
        var queries = names.Select(n => n.ToUpperInvariant())
            .Concat(names.Select(n => "nope." + n))
            .Concat(names.Select(n => n[(n.IndexOf('.', StringComparison.Ordinal) + 1)..]))
            .Concat(["mesos", "thisdcos.directory", "example.com", "marathon.mesos", "slave.mesos", "_tcp.marathon.mesos"]);
        var a = new byte[ushort.MaxValue + 16];
        var b = new byte[ushort.MaxValue + 16];
        foreach (string name in queries)
        {
            foreach (var type in Types)
            {
                var query = DnsTestMessages.Query(name, type);
                var x = DnsResponder.Respond(eager, query, a, tcp: false, forwarding: false, 3);
                var y = DnsResponder.Respond(lazy, query, b, tcp: false, forwarding: false, 3);
                Assert.True(a.AsSpan(0, x.Length).SequenceEqual(b.AsSpan(0, y.Length)), $"{name} {type}");
            }
        }

        var dotted = Wire("web.marathon", "mesos"); // one label "web.marathon", then "mesos"
        Assert.Null(lazy.Names.FindLower(dotted));
        Assert.Null(eager.Names.FindLower(dotted));
    }

    [Fact]
    public void Update_AfterLazyCompile_InvalidatesOnlyTouchedNames()
    {
        var cluster = new RandomCluster(7, initialTasks: 30);
        var builder = new DnsRecordBuilder(new DnsRecordOptions { Masters = ["10.0.0.10:5050"] });
        var incremental = new IncrementalRecordSet(builder);
        var updater = new DnsAnswerUpdater();
        var records = incremental.Rebuild(cluster.State(), [], serial: 1);
        var index = updater.Update(records, null);
        var before = CompileAll(index, records);

        RecordDelta delta;
        do
        {
            delta = incremental.Apply(cluster.NextDelta(), [], serial: 2)!;
        }
        while (delta.ChangedNames.Count == 0);

        var next = updater.Update(delta.Current, delta);
        Assert.True(updater.LastWasIncremental);
        var changed = delta.ChangedNames.ToHashSet(StringComparer.Ordinal);
        int kept = 0;
        foreach (string name in delta.Current.Names.Keys.Where(n => !IsApex(delta.Current, n)))
        {
            var entry = next.Names.FindLower(DnsName.Encode(name));
            Assert.NotNull(entry);
            if (changed.Contains(name))
            {
                Assert.False(before.TryGetValue(name, out var old) && ReferenceEquals(old, entry), $"{name} changed but kept its answers");
            }
            else
            {
                Assert.Same(before[name], entry);
                kept++;
            }
        }

        Assert.True(kept > 0);
        IncrementalRecordSetTests.AssertSameAnswers(DnsAnswerCompiler.CompileEager(delta.Current), next);
    }

    [Fact]
    public void Respond_NameAlreadyCompiled_AllocatesNothing()
    {
        var index = DnsAnswerCompiler.Compile(TestRecordSets.Large(20, 5));
        var query = DnsTestMessages.Query("_app7._tcp.marathon.mesos", DnsRecordType.Srv);
        var output = new byte[ushort.MaxValue];
        DnsResponder.Respond(index, query, output, tcp: false, forwarding: false, 0);

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (uint r = 0; r < 100; r++)
        {
            DnsResponder.Respond(index, query, output, tcp: false, forwarding: false, r);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    [Fact]
    public void Compile_SameRecordsInAnotherZoneScope_CompilesAgainWithTheNewSettings()
    {
        var records = TestRecordSets.Small();
        var first = DnsAnswerCompiler.Compile(records);
        var entry = first.Names.FindLower(DnsName.Encode("_web._tcp.marathon.mesos"));
        var reweighted = new DnsRecordSet(records.Zone with { SrvWeight = 7 }, records.Names);

        var second = DnsAnswerCompiler.Compile(reweighted);

        Assert.NotSame(entry, second.Names.FindLower(DnsName.Encode("_web._tcp.marathon.mesos")));
        IncrementalRecordSetTests.AssertSameAnswers(DnsAnswerCompiler.CompileEager(reweighted), second);
    }

    [Fact]
    public async Task FindLower_ConcurrentFirstQueries_AllGetTheSameBytes()
    {
        var records = TestRecordSets.Large(50, 4);
        var expected = DnsAnswerCompiler.CompileEager(records);
        var lazy = DnsAnswerCompiler.Compile(records);
        var names = records.Names.Keys.ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var a = new byte[ushort.MaxValue];
            var b = new byte[ushort.MaxValue];
            int same = 0;
            foreach (string name in names.Skip(t).Concat(names.Take(t)))
            {
                var query = DnsTestMessages.Query(name, DnsRecordType.Any);
                var x = DnsResponder.Respond(expected, query, a, tcp: true, forwarding: false, 1);
                var y = DnsResponder.Respond(lazy, query, b, tcp: true, forwarding: false, 1);
                same += a.AsSpan(0, x.Length).SequenceEqual(b.AsSpan(0, y.Length)) ? 1 : 0;
            }

            return same;
        })));

        Assert.All(results, same => Assert.Equal(names.Length, same));
    }

    private static Dictionary<string, DnsNameEntry> CompileAll(DnsAnswerIndex index, DnsRecordSet records)
    {
        var entries = new Dictionary<string, DnsNameEntry>(StringComparer.Ordinal);
        foreach (string name in records.Names.Keys.Where(n => !IsApex(records, n)))
        {
            entries[name] = index.Names.FindLower(DnsName.Encode(name))!;
            // A second lookup serves the cached answers.
            Assert.Same(entries[name], index.Names.FindLower(DnsName.Encode(name)));
        }

        return entries;
    }

    private static bool IsApex(DnsRecordSet records, string name) => records.Zone.AuthoritativeZones.Contains(name);

    private static byte[] Wire(params string[] labels)
    {
        var bytes = new List<byte>();
        foreach (string label in labels)
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private static DnsRecordSet Set(string name) => name switch
    {
        "small" => TestRecordSets.Small(),
        "large" => TestRecordSets.Large(30, 7),
        _ => Generated(),
    };

    private static DnsRecordSet Generated()
    {
        var cluster = new RandomCluster(3, initialTasks: 60);
        var builder = new DnsRecordBuilder(new DnsRecordOptions { Masters = ["10.0.0.10:5050", "10.0.0.11:5050"] });
        return builder.Build(cluster.State(), [new NamedVipAddress("web", "marathon", IPAddress.Parse("11.0.0.1"))], serial: 5);
    }
}
