namespace Minuet.Native.Netlink.Conntrack;

/// <summary>CTA_* attribute numbers from linux/netfilter/nfnetlink_conntrack.h, grouped by the nest they live in.</summary>
internal static class CtaAttributes
{
    // enum ctattr_type (message level).
    public const ushort TupleOrig = 1;
    public const ushort TupleReply = 2;
    public const ushort Status = 3;
    public const ushort ProtoInfo = 4;
    public const ushort NatSrc = 6;
    public const ushort Timeout = 7;
    public const ushort Mark = 8;
    public const ushort Id = 12;
    public const ushort NatDst = 13;
    public const ushort Zone = 18;

    // enum ctattr_tuple.
    public const ushort TupleIp = 1;
    public const ushort TupleProto = 2;

    // enum ctattr_ip.
    public const ushort IpV4Src = 1;
    public const ushort IpV4Dst = 2;

    // enum ctattr_l4proto.
    public const ushort ProtoNum = 1;
    public const ushort ProtoSrcPort = 2;
    public const ushort ProtoDstPort = 3;

    // enum ctattr_protoinfo and ctattr_protoinfo_tcp.
    public const ushort ProtoInfoTcp = 1;
    public const ushort ProtoInfoTcpState = 1;
    public const ushort ProtoInfoTcpFlagsOriginal = 4;
    public const ushort ProtoInfoTcpFlagsReply = 5;

    // enum ctattr_nat and ctattr_protonat.
    public const ushort NatV4MinIp = 1;
    public const ushort NatV4MaxIp = 2;
    public const ushort NatProto = 3;
    public const ushort ProtoNatPortMin = 1;
    public const ushort ProtoNatPortMax = 2;
}
