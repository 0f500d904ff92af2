using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb.Vips;

internal sealed partial class VipTableBuilder
{
    /// <summary>
    /// The VIP entries and skipped labels of one task, exactly as <see cref="Build"/> collects them
    /// (nothing for a task that is neither running nor killing).
    /// </summary>
    internal static void TaskEntries(
        TaskInfo task, string framework, string frameworkLabel, uint? agentAddress, List<Entry> entries, List<InvalidVipLabel> invalid)
    {
        if (task.State is not ("TASK_RUNNING" or "TASK_KILLING"))
        {
            return;
        }

        var context = new TaskContext(task, framework, frameworkLabel, agentAddress);
        AddDiscoveryLabels(context, entries, invalid);
        AddLegacyLabels(context, entries, invalid);
    }

    /// <summary>The table for entries and skipped labels already in task order (the incremental table's full path).</summary>
    /// <param name="allocation">The allocation of these entries' named VIPs, when the caller already computed it.</param>
    internal VipTable Assemble(List<Entry> entries, List<InvalidVipLabel> invalid, NamedVipAllocation allocation) =>
        AssembleWith(entries, invalid, allocation);
}
