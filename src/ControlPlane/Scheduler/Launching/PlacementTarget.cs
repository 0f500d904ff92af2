namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>Where a task could go or went: agent hostname and attributes (what constraints look at).</summary>
internal sealed record PlacementTarget(string Hostname, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The value a constraint field names: <c>hostname</c>/<c>@hostname</c>, <c>@region</c>, <c>@zone</c> or an attribute; null when absent.</summary>
    public string? ValueOf(string field) => field switch
    {
        "hostname" or "@hostname" => Hostname,
        "@region" => Attributes.GetValueOrDefault("region"),
        "@zone" => Attributes.GetValueOrDefault("zone"),
        _ => Attributes.GetValueOrDefault(field),
    };
}
