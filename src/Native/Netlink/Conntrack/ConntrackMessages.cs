using System.Runtime.CompilerServices;

namespace Minuet.Native.Netlink.Conntrack;

/// <summary>
/// Pure builders of ctnetlink requests (IPv4). The create message has the attributes, order and nesting of what
/// `conntrack -I ... --dst-nat` (conntrack-tools 1.4.7) sends; each builder returns false when the destination is too small.
/// </summary>
[SkipLocalsInit]
internal static class ConntrackMessages
{
    private const byte FamilyInet = 2; // AF_INET

    /// <summary>Room for the largest message built here (create with NAT: 196 bytes).</summary>
    public const int MaxMessageSize = 256;

    /// <summary>
    /// IPCTNL_MSG_CT_NEW with NLM_F_CREATE|NLM_F_EXCL|NLM_F_ACK: both tuples, CTA_TIMEOUT, CTA_PROTOINFO (TCP state
    /// and window flags; none for UDP), CTA_NAT_SRC when a source NAT is asked for, and CTA_NAT_DST (CTA_NAT_V4_MINIP plus CTA_NAT_PROTO port min = max; the kernel takes a
    /// missing CTA_NAT_V4_MAXIP as equal to the minimum, as the tool relies on).
    /// </summary>
    /// <param name="acknowledge">False: no NLM_F_ACK, so the kernel answers only a failure (netlink_rcv_skb acks when asked or on error).</param>
    public static bool TryBuildCreateNat(Span<byte> destination, uint sequence, in ConntrackNatEntry entry, out int written, bool acknowledge = true)
    {
        ushort flags = (ushort)(NetlinkFlags.Request | NetlinkFlags.Excl | NetlinkFlags.Create | (acknowledge ? NetlinkFlags.Ack : 0));
        var writer = Begin(destination, CtnetlinkCommand.New, flags, sequence, out int message);
        PutTuple(ref writer, CtaAttributes.TupleOrig, entry.Original);
        PutTuple(ref writer, CtaAttributes.TupleReply, entry.Reply);
        writer.PutU32BigEndian(CtaAttributes.Timeout, entry.TimeoutSeconds);

        // UDP has no protocol state to give (conntrack-tools sends no CTA_PROTOINFO for it either).
        if (entry.Original.Protocol == ConntrackTuple.Tcp)
        {
            int protoInfo = writer.BeginNested(CtaAttributes.ProtoInfo);
            int tcp = writer.BeginNested(CtaAttributes.ProtoInfoTcp);
            writer.PutU8(CtaAttributes.ProtoInfoTcpState, (byte)entry.TcpState);
            if (entry.TcpFlags != 0)
            {
                // struct nf_ct_tcp_flags { __u8 flags; __u8 mask; }
                ushort flagsAndMask = (ushort)((entry.TcpFlags << 8) | entry.TcpFlags);
                writer.PutU16BigEndian(CtaAttributes.ProtoInfoTcpFlagsOriginal, flagsAndMask);
                writer.PutU16BigEndian(CtaAttributes.ProtoInfoTcpFlagsReply, flagsAndMask);
            }

            writer.EndNested(tcp);
            writer.EndNested(protoInfo);
        }

        if (entry.SourceNatAddress != 0)
        {
            int snat = writer.BeginNested(CtaAttributes.NatSrc);
            writer.PutU32BigEndian(CtaAttributes.NatV4MinIp, entry.SourceNatAddress);
            writer.EndNested(snat);
        }

        int nat = writer.BeginNested(CtaAttributes.NatDst);
        writer.PutU32BigEndian(CtaAttributes.NatV4MinIp, entry.NatAddress);
        int natProto = writer.BeginNested(CtaAttributes.NatProto);
        writer.PutU16BigEndian(CtaAttributes.ProtoNatPortMin, entry.NatPort);
        writer.PutU16BigEndian(CtaAttributes.ProtoNatPortMax, entry.NatPort);
        writer.EndNested(natProto);
        writer.EndNested(nat);

        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// IPCTNL_MSG_CT_DELETE of the entry whose original tuple (or, with <paramref name="byReplyTuple"/>, reply tuple)
    /// is <paramref name="tuple"/>; the kernel answers ENOENT if there is none.
    /// </summary>
    public static bool TryBuildDelete(Span<byte> destination, uint sequence, in ConntrackTuple tuple, out int written, bool byReplyTuple = false) =>
        TryBuildByTuple(destination, CtnetlinkCommand.Delete, sequence, tuple, byReplyTuple ? CtaAttributes.TupleReply : CtaAttributes.TupleOrig, out written);

    /// <summary>IPCTNL_MSG_CT_GET of one entry by original tuple: the entry comes back as a NEW message, then the ACK.</summary>
    public static bool TryBuildGet(Span<byte> destination, uint sequence, in ConntrackTuple original, out int written) =>
        TryBuildByTuple(destination, CtnetlinkCommand.Get, sequence, original, CtaAttributes.TupleOrig, out written);

    /// <summary>IPCTNL_MSG_CT_GET with NLM_F_DUMP: every IPv4 entry of the namespace, in NLM_F_MULTI parts.</summary>
    public static bool TryBuildDump(Span<byte> destination, uint sequence, out int written)
    {
        var writer = Begin(destination, CtnetlinkCommand.Get, NetlinkFlags.Request | NetlinkFlags.Dump, sequence, out int message);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>IPCTNL_MSG_CT_DELETE without a tuple: flushes the IPv4 table of the caller's network namespace.</summary>
    public static bool TryBuildFlush(Span<byte> destination, uint sequence, out int written)
    {
        var writer = Begin(destination, CtnetlinkCommand.Delete, NetlinkFlags.Request | NetlinkFlags.Ack, sequence, out int message);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static bool TryBuildByTuple(Span<byte> destination, byte command, uint sequence, in ConntrackTuple tuple, ushort tupleType, out int written)
    {
        var writer = Begin(destination, command, NetlinkFlags.Request | NetlinkFlags.Ack, sequence, out int message);
        PutTuple(ref writer, tupleType, tuple);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static void PutTuple(ref NetlinkWriter writer, ushort type, in ConntrackTuple tuple)
    {
        int outer = writer.BeginNested(type);
        int ip = writer.BeginNested(CtaAttributes.TupleIp);
        writer.PutU32BigEndian(CtaAttributes.IpV4Src, tuple.SourceAddress);
        writer.PutU32BigEndian(CtaAttributes.IpV4Dst, tuple.DestinationAddress);
        writer.EndNested(ip);
        int proto = writer.BeginNested(CtaAttributes.TupleProto);
        writer.PutU8(CtaAttributes.ProtoNum, tuple.Protocol);
        writer.PutU16BigEndian(CtaAttributes.ProtoSrcPort, tuple.SourcePort);
        writer.PutU16BigEndian(CtaAttributes.ProtoDstPort, tuple.DestinationPort);
        writer.EndNested(proto);
        writer.EndNested(outer);
    }

    private static NetlinkWriter Begin(Span<byte> destination, byte command, ushort flags, uint sequence, out int message)
    {
        var writer = new NetlinkWriter(destination);
        message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysCtnetlink, command), flags, sequence);
        writer.WriteNfgenmsg(FamilyInet, resourceId: 0);
        return writer;
    }
}
