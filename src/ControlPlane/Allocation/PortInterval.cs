namespace Minuet.ControlPlane.Allocation;

/// <summary>An inclusive range of port numbers, <c>31000-32000</c> in Mesos's range syntax.</summary>
public readonly record struct PortInterval(uint Begin, uint End)
{
    public ulong Count => End >= Begin ? (ulong)End - Begin + 1 : 0;

    public override string ToString() => $"{Begin}-{End}";
}
