namespace Minuet.Cli.Verbs;

/// <summary>The verbs promised by the product interface whose implementations are still to land.</summary>
internal static class PendingVerbs
{
    public static IReadOnlyList<PendingVerb> All { get; } =
    [
        new("up", "Start a single-machine cluster: master, scheduler, agent and data plane", "issue 6"),
        new("app", "Add, list, scale and remove apps", "issue 6"),
        new("task", "List tasks", "issue 6"),
    ];
}
