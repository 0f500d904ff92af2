namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The frameworks part of the master: every framework by id (each with its connection, its live and completed
/// tasks, its pending updates and its offers), the ids torn down since start, and the counter new ids come from.
/// The offers on a framework change only through <see cref="IOfferBook"/>. Guarded by the master lock.
/// </summary>
internal interface IFrameworkRegistry : IReadOnlyDictionary<string, FrameworkEntry>
{
    /// <summary>The number in the next new framework's id (<c>&lt;masterId&gt;-&lt;nnnn&gt;</c>); stored as meta <c>next_framework</c>.</summary>
    long NextId { get; set; }

    void Put(FrameworkEntry framework);

    /// <summary>Forgets the framework and remembers it was torn down.</summary>
    void TearDown(string frameworkId);

    bool WasTornDown(string frameworkId);

    /// <summary>Forgets everything (a term ended).</summary>
    void Clear();
}
