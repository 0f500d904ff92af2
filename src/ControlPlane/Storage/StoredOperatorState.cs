namespace Minuet.ControlPlane.Storage;

/// <summary>A role's quota as UPDATE_QUOTA configured it (the master's store keeps every one under one meta key).</summary>
internal sealed record StoredQuota
{
    public required string Role { get; init; }

    public required Protocol.ResourceSet Guarantee { get; init; }

    public Protocol.ResourceSet? Limit { get; init; }
}
