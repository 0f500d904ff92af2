using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// One VIP compiled for the SYN path: every backend's live state (parallel to the definition's backends),
/// the ones that take new connections (weight above 0), and whatever the policy precomputed for them.
/// Immutable except <see cref="Cursor"/>, a counter policies may advance atomically.
/// </summary>
internal sealed class VipRoute
{
    internal int Cursor;

    public VipRoute(VipDefinition definition, BackendState[] backends, BackendState[] active, object? policyState)
    {
        Definition = definition;
        Backends = backends;
        Active = active;
        PolicyState = policyState;
    }

    public VipDefinition Definition { get; }

    public IpPort Vip => Definition.Vip;

    /// <summary>Live state of every backend, same order as <see cref="VipDefinition.Backends"/>.</summary>
    public BackendState[] Backends { get; }

    /// <summary>Backends that may get new connections.</summary>
    public BackendState[] Active { get; }

    public object? PolicyState { get; }
}
