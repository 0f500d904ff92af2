using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master;

/// <summary>An outstanding offer: one agent's free resources for one framework, until accepted, declined or rescinded.</summary>
internal sealed record OfferEntry(string Id, string FrameworkId, string AgentId, string Role, AllocatedSlice Slice, DateTimeOffset Created);
