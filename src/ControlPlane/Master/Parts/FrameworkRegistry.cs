namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The master's frameworks by id (each with its tasks, offers and connection), the ids of frameworks torn down
/// since start (agents re-registering with their tasks are told to kill them), and the counter ids come from.
/// </summary>
internal sealed class FrameworkRegistry(Action<string> changed) : EntryTable<FrameworkEntry>(changed), IFrameworkRegistry
{
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);

    /// <summary>The number in the next new framework's id (<c>&lt;masterId&gt;-&lt;nnnn&gt;</c>); stored as meta <c>next_framework</c>.</summary>
    public long NextId { get; set; }

    public void Put(FrameworkEntry framework) => Put(framework.Id, framework);

    /// <summary>Forgets the framework and remembers it was torn down.</summary>
    public void TearDown(string frameworkId)
    {
        Remove(frameworkId);
        _removed.Add(frameworkId);
    }

    public bool WasTornDown(string frameworkId) => _removed.Contains(frameworkId);

    public override void Clear()
    {
        base.Clear();
        _removed.Clear();
    }
}
