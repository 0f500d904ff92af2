namespace Minuet.DataPlane.Model;

/// <summary>An agent: its id, hostname and pid (<c>slave(1)@IP:port</c>), from which its IP comes.</summary>
public sealed record AgentInfo
{
    public required string Id { get; init; }

    public string Hostname { get; init; } = string.Empty;

    /// <summary><c>slave(1)@IP:port</c> (IPv6 in brackets); null when absent.</summary>
    public string? Pid { get; init; }
}
