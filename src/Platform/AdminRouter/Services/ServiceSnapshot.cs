namespace Minuet.Platform.AdminRouter.Services;

/// <summary>A Mesos framework as <c>/service/</c> resolution needs it; <see cref="WebuiUrl"/> null means JSON null.</summary>
internal sealed record FrameworkEntry(string Id, string Name, string? WebuiUrl, string Pid);

/// <summary>
/// What <c>/service/&lt;name&gt;</c> resolves against, immutable and swapped whole: Marathon apps labelled
/// <c>DCOS_SERVICE_NAME</c> (name → <c>scheme://host:port</c> of a running task) and the master's frameworks, each
/// with the time it was last read successfully (null: never).
/// </summary>
internal sealed record ServiceSnapshot(
    IReadOnlyDictionary<string, Uri> MarathonServices,
    DateTimeOffset? MarathonAt,
    IReadOnlyList<FrameworkEntry> Frameworks,
    DateTimeOffset? MesosAt)
{
    public static readonly ServiceSnapshot Empty = new(new Dictionary<string, Uri>(), null, [], null);
}
