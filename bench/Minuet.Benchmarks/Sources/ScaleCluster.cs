using Minuet.Benchmarks.Dns;
using Minuet.Benchmarks.Dns.Tool;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// Everything the data plane holds for a cluster, kept the incremental way: record set, compiled DNS answers, VIP
/// table and compiled balancer table. The synthetic state (<see cref="SyntheticState"/>) has 3 tasks per app and a
/// named VIP on every other app, so 100,000 tasks give about 16,700 VIPs.
/// </summary>
internal sealed class ScaleCluster
{
    private readonly IncrementalRecordSet _records;
    private readonly DnsAnswerUpdater _answers = new();
    private readonly IncrementalVipTable _vips;
    private readonly BackendRegistry _registry = new();
    private readonly IBackendPolicy _policy = new PowerOfTwoChoicesPolicy(new Random(1), TimeProvider.System);
    private uint _serial = 1;

    public ScaleCluster(ClusterState state)
    {
        State = state;
        _records = new IncrementalRecordSet(new DnsRecordBuilder(DnsBenchFixture.Options));
        _vips = new IncrementalVipTable(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))));
        Rebuild();
    }

    public ClusterState State { get; }

    public DnsAnswerIndex Index { get; private set; } = null!;

    public BalancerTable Table { get; private set; } = null!;

    public static ClusterState Parse(int tasks) => MesosStateParser.Parse(SyntheticState.Json(tasks, agents: Math.Max(1, tasks / 10))).State!;

    /// <summary>The full path: every record, every answer, every VIP and route.</summary>
    public void Rebuild(double[]? phases = null)
    {
        double t0 = ThreadCpuClock.NowMs();
        var records = _records.Rebuild(State, [], _serial++);
        double t1 = ThreadCpuClock.NowMs();
        Index = _answers.Update(records, null);
        double t2 = ThreadCpuClock.NowMs();
        var vips = _vips.Rebuild(State);
        double t3 = ThreadCpuClock.NowMs();
        Table = BalancerTable.Build(vips, _registry, _policy);
        double t4 = ThreadCpuClock.NowMs();
        if (phases is not null)
        {
            phases[0] += t1 - t0;
            phases[1] += t2 - t1;
            phases[2] += t3 - t2;
            phases[3] += t4 - t3;
        }
    }

    /// <summary>The delta path: DNS records, answers, VIP table and routes for these task changes only.</summary>
    public void Apply(IReadOnlyList<TaskChange> changes, double[]? phases = null)
    {
        double t0 = ThreadCpuClock.NowMs();
        var delta = _records.Apply(changes, [], _serial++) ?? throw new InvalidOperationException("delta needs a rebuild");
        double t1 = ThreadCpuClock.NowMs();
        Index = _answers.Update(delta.Current, delta);
        double t2 = ThreadCpuClock.NowMs();
        var vipDelta = _vips.Apply(changes) ?? throw new InvalidOperationException("VIP delta needs a rebuild");
        double t3 = ThreadCpuClock.NowMs();
        Table = BalancerTable.Update(Table, vipDelta, _registry, _policy, _vips.IsListed);
        double t4 = ThreadCpuClock.NowMs();
        if (phases is not null)
        {
            phases[0] += t1 - t0;
            phases[1] += t2 - t1;
            phases[2] += t3 - t2;
            phases[3] += t4 - t3;
        }
    }

    /// <summary>A task in the middle of the cluster and a version of it with another container IP (a VIP backend and DNS names move).</summary>
    public (TaskChange Original, TaskChange Moved) SampleChange() => SampleChange(State.Frameworks[0].Tasks.Count / 2);

    /// <summary>
    /// Like <see cref="SampleChange()"/> for the oldest task of an app with a named VIP: removing it moves the name's
    /// seniority, so the named-VIP allocation is checked again (the synthetic apps have 3 tasks, the first the oldest).
    /// </summary>
    public (TaskChange Original, TaskChange Moved) SampleOldestChange()
    {
        int app = State.Frameworks[0].Tasks.Count / 2 / 3;
        return SampleChange(3 * (app - (app % 2)));
    }

    private (TaskChange Original, TaskChange Moved) SampleChange(int index)
    {
        var framework = State.Frameworks[0];
        var task = framework.Tasks[index];
        var moved = task with
        {
            Statuses = [.. task.Statuses.Select(s => s with { NetworkIpAddresses = ["198.18.250.250"] })],
            Ports = [new PortRange(30999, 30999)],
        };
        return (new TaskChange(framework.Id, task.Id, task), new TaskChange(framework.Id, task.Id, moved));
    }
}
