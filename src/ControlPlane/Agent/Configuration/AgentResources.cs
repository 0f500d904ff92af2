using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Configuration;

/// <summary>An agent's resources as <c>--resources</c> gave them: the unreserved pool plus static reservations by role.</summary>
internal sealed record AgentResources(ResourceSet Unreserved, IReadOnlyDictionary<string, ResourceSet> Reserved);
