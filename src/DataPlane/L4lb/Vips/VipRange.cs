using System.Globalization;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// The IPv4 block named VIPs are allocated from (<c>--vip-range</c>, default <c>11.0.0.0/8</c> as in DC/OS).
/// The network and broadcast addresses are never handed out for prefixes up to /30.
/// </summary>
internal sealed record VipRange(uint Network, int PrefixLength)
{
    public const string DefaultText = "11.0.0.0/8";

    public static VipRange Default { get; } = Parse(DefaultText);

    /// <summary>How many addresses can be handed out.</summary>
    public long Size => PrefixLength <= 30 ? (1L << (32 - PrefixLength)) - 2 : 1L << (32 - PrefixLength);

    /// <summary>The first address handed out.</summary>
    public uint First => PrefixLength <= 30 ? Network + 1 : Network;

    public bool Contains(uint address) =>
        PrefixLength == 0 || (address >> (32 - PrefixLength)) == (Network >> (32 - PrefixLength));

    /// <summary>The address at a slot in [0, <see cref="Size"/>).</summary>
    public uint AddressAt(long slot) => (uint)(First + slot);

    /// <summary>The slot of an address inside the usable part of the range, or -1.</summary>
    public long SlotOf(uint address)
    {
        if (!Contains(address))
        {
            return -1;
        }

        long slot = (long)address - First;
        return slot >= 0 && slot < Size ? slot : -1;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{IpPort.FormatAddress(Network)}/{PrefixLength}");

    /// <summary>Parses <c>a.b.c.d/len</c> (len 8-32); the reason names what is wrong.</summary>
    public static bool TryParse(string? text, out VipRange? range, out string? reason)
    {
        range = null;
        reason = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = "empty; expected a.b.c.d/len";
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            reason = $"'{text}' has no prefix length; expected a.b.c.d/len";
            return false;
        }

        if (!IpPort.TryParseAddress(text.AsSpan(0, slash), out uint address))
        {
            reason = $"'{text[..slash]}' is not an IPv4 address";
            return false;
        }

        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int length) ||
            length < 8 || length > 32)
        {
            reason = $"prefix length '{text[(slash + 1)..]}' must be between 8 and 32";
            return false;
        }

        uint mask = length == 32 ? uint.MaxValue : ~(uint.MaxValue >> length);
        if ((address & mask) != address)
        {
            reason = $"'{text}' has host bits set; did you mean {IpPort.FormatAddress(address & mask)}/{length}?";
            return false;
        }

        range = new VipRange(address, length);
        return true;
    }

    public static VipRange Parse(string text) =>
        TryParse(text, out var range, out var reason) ? range! : throw new FormatException($"--vip-range: {reason}");
}
