namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// A rendered configuration: the full text HAProxy reads, the same text without server lines (two configurations with
/// equal skeletons differ only in servers, which the runtime API can change without a reload), and each backend's
/// servers.
/// </summary>
internal sealed record GeneratedConfig(string Text, string Skeleton, IReadOnlyDictionary<string, BackendPlan> Backends, IReadOnlyList<EdgeService> Services);

/// <summary>
/// One backend's servers. <c>Dynamic</c> is whether HAProxy 2.6 can add and delete its servers at run time: its balance
/// algorithm must be dynamic and it must not set cookies (<c>add server</c> has no <c>cookie</c> keyword).
/// </summary>
internal sealed record BackendPlan(string Name, bool Dynamic, IReadOnlyList<ServerLine> Servers);

/// <summary>One <c>server</c> line: <c>Options</c> is everything after the address except <c>disabled</c>.</summary>
internal sealed record ServerLine(string Name, string Address, string Options, bool Disabled)
{
    public string Render() => $"  server {Name} {Address} {Options}{(Disabled ? " disabled" : "")}\n";
}
