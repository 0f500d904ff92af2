using System.Collections;
using System.Collections.Immutable;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// A framework's tasks in id order as the read-only list <see cref="FrameworkInfo.Tasks"/> expects, over a persistent
/// map: taking it is O(1), enumerating walks the map, and an index access copies the tasks out once.
/// </summary>
internal sealed class SortedTaskList(ImmutableSortedDictionary<string, TaskInfo> tasks) : IReadOnlyList<TaskInfo>
{
    private TaskInfo[]? _array;

    public int Count => tasks.Count;

    public TaskInfo this[int index] => (_array ??= [.. tasks.Values])[index];

    public IEnumerator<TaskInfo> GetEnumerator() => tasks.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
