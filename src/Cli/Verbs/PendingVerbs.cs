namespace Minuet.Cli.Verbs;

/// <summary>The verbs promised by the product interface whose implementations are still to land.</summary>
internal static class PendingVerbs
{
    public static IReadOnlyList<PendingVerb> All { get; } =
    [
    ];
}
