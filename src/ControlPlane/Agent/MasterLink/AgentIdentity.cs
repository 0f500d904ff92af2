using Minuet.ControlPlane.Agent.Configuration;

namespace Minuet.ControlPlane.Agent.MasterLink;

/// <summary>What the agent tells the master about itself when it registers.</summary>
internal sealed record AgentIdentity
{
    public required string Hostname { get; init; }

    /// <summary>IP literal the master reaches the agent at.</summary>
    public required string Address { get; init; }

    public required int Port { get; init; }

    public required AgentResources Resources { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
