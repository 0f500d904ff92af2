namespace Minuet.Native.Netlink.Conntrack;

/// <summary>enum ip_conntrack_status bits from linux/netfilter/nf_conntrack_common.h (CTA_STATUS).</summary>
[Flags]
public enum ConntrackStatus : uint
{
    None = 0,
    Expected = 1 << 0,
    SeenReply = 1 << 1,
    Assured = 1 << 2,
    Confirmed = 1 << 3,
    SrcNat = 1 << 4,
    DstNat = 1 << 5,
    SeqAdjust = 1 << 6,
    SrcNatDone = 1 << 7,
    DstNatDone = 1 << 8,
    Dying = 1 << 9,
    FixedTimeout = 1 << 10,
    Template = 1 << 11,
    Untracked = 1 << 12,
    Helper = 1 << 13,
    Offload = 1 << 14,
}
