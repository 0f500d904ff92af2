using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

public sealed partial class DnsRecordBuilder
{
    /// <summary>
    /// The records that do not come from tasks (agents, frameworks, the listener, masters) as contributions, and
    /// each agent's IPs by id for the task records. Same generation as <see cref="Build"/>.
    /// </summary>
    internal Dictionary<string, IReadOnlyList<IPAddress>> StaticContributions(ClusterState state, List<RecordContribution> into)
    {
        var records = new RecordAccumulator();
        var agentIps = AgentRecords(state, records);
        FrameworkRecords(state, records);
        ListenerRecords(records);
        MasterRecords(state.Leader, records);
        records.CopyTo(into);
        return agentIps;
    }

    /// <summary>The framework's name as it appears in DNS names; empty when it has nothing usable.</summary>
    internal string FrameworkFragment(string frameworkName) => DnsLabels.DomainFragment(frameworkName, _options.LabelSpec);

    /// <summary>A reusable cache for <see cref="TaskContributions"/>; one per writer.</summary>
    internal object NewTaskScratch() => new TaskScratch(_options.LabelSpec);

    /// <summary>Empties a scratch from <see cref="NewTaskScratch"/>.</summary>
    internal static void ClearTaskScratch(object scratch) => ((TaskScratch)scratch).Clear();

    /// <summary>
    /// Appends the records of one task (nothing when it is not serving or its agent is unknown), exactly as
    /// <see cref="Build"/> generates them for it.
    /// </summary>
    internal void TaskContributions(
        TaskInfo task, string fname, Dictionary<string, IReadOnlyList<IPAddress>> agentIps, object scratch, List<RecordContribution> into)
    {
        if (fname.Length == 0 || !task.IsServing || !agentIps.TryGetValue(task.AgentId, out var slaveIps))
        {
            return;
        }

        var records = new RecordAccumulator { Sink = into };
        OneTaskRecords(task, fname, slaveIps, records, (TaskScratch)scratch);
    }

    /// <summary>Appends the l4lb names of the programmed named VIPs.</summary>
    internal void VipContributions(IReadOnlyList<NamedVipAddress> vips, List<RecordContribution> into) =>
        VipRecords(vips, new RecordAccumulator { Sink = into });
}
