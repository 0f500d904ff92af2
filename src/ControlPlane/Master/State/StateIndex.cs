using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// One pass over a <see cref="MasterStateView"/> that a render needs: agents and frameworks in their stable order,
/// live tasks grouped by framework, resources used and offered per agent, and task counts by state. Built outside
/// the master lock, once per document.
/// </summary>
internal sealed class StateIndex
{
    private static readonly List<TaskView> NoTasks = [];

    public StateIndex(MasterStateView view)
    {
        View = view;
        Agents = [.. view.Agents.Values];
        Agents.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        Frameworks = [.. view.Frameworks.Values];
        Frameworks.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        Counts = new int[Enum.GetValues<TaskState>().Length];
        foreach (var task in view.Tasks.Values)
        {
            Counts[(int)task.State]++;
            if (task.State.IsTerminal())
            {
                continue;
            }

            UsedByAgent[task.AgentId] = UsedByAgent.GetValueOrDefault(task.AgentId) + task.Total;
            if (!LiveByFramework.TryGetValue(task.FrameworkId, out var list))
            {
                list = [];
                LiveByFramework[task.FrameworkId] = list;
            }

            list.Add(task);
        }

        foreach (var list in LiveByFramework.Values)
        {
            list.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        }

        foreach (var framework in Frameworks)
        {
            foreach (var offer in framework.Offers)
            {
                OfferedByAgent[offer.AgentId] = OfferedByAgent.GetValueOrDefault(offer.AgentId) + offer.Slice.Total;
            }

            foreach (var task in framework.Completed)
            {
                if (!view.Tasks.ContainsKey(task.Id))
                {
                    Counts[(int)task.State]++;
                }
            }
        }
    }

    public MasterStateView View { get; }

    public List<AgentView> Agents { get; }

    public List<FrameworkView> Frameworks { get; }

    /// <summary>Counts of tasks by state, live and completed (<see cref="TaskState"/> as index).</summary>
    public int[] Counts { get; }

    public Dictionary<string, Resources> UsedByAgent { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Resources> OfferedByAgent { get; } = new(StringComparer.Ordinal);

    /// <summary>Non-terminal tasks (live and unreachable) by framework, in order of first appearance.</summary>
    public Dictionary<string, List<TaskView>> LiveByFramework { get; } = new(StringComparer.Ordinal);

    public List<TaskView> LiveOf(string frameworkId) => LiveByFramework.GetValueOrDefault(frameworkId) ?? NoTasks;
}
