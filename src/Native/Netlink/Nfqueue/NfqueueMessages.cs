using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>
/// Pure builders of nfnetlink_queue requests: config commands, copy parameters, queue length and flags, and
/// verdicts. Layouts follow linux/netfilter/nfnetlink_queue.h; each returns false when the destination is too small.
/// </summary>
[SkipLocalsInit]
internal static class NfqueueMessages
{
    public const int MaxMessageSize = 96;

    /// <summary>
    /// NFQNL_MSG_CONFIG with NFQA_CFG_CMD (struct nfqnl_msg_config_cmd: u8 command, u8 pad, be16 pf), with ACK.
    /// BIND/UNBIND address <paramref name="queue"/>; PF_BIND/PF_UNBIND (no-ops since Linux 3.8) address a family.
    /// </summary>
    public static bool TryBuildCommand(Span<byte> destination, uint sequence, ushort queue, byte command, ushort protocolFamily, out int written)
    {
        var writer = BeginConfig(destination, sequence, queue, out int message);
        Span<byte> cmd = stackalloc byte[4];
        cmd[0] = command;
        cmd[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(cmd[2..], protocolFamily);
        writer.PutBytes(NfqueueConstants.CfgCmd, cmd);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// NFQNL_MSG_CONFIG with NFQA_CFG_PARAMS (struct nfqnl_msg_config_params: be32 copy_range, u8 copy_mode,
    /// packed to 5 bytes), NFQA_CFG_QUEUE_MAXLEN, and NFQA_CFG_FLAGS with NFQA_CFG_MASK, with ACK.
    /// </summary>
    public static bool TryBuildParameters(Span<byte> destination, uint sequence, ushort queue, byte copyMode, uint copyRange, uint maxQueueLength, uint flags, uint flagsMask, out int written)
    {
        var writer = BeginConfig(destination, sequence, queue, out int message);
        Span<byte> parameters = stackalloc byte[5];
        BinaryPrimitives.WriteUInt32BigEndian(parameters, copyRange);
        parameters[4] = copyMode;
        writer.PutBytes(NfqueueConstants.CfgParams, parameters);
        writer.PutU32BigEndian(NfqueueConstants.CfgQueueMaxLen, maxQueueLength);
        writer.PutU32BigEndian(NfqueueConstants.CfgFlags, flags);
        writer.PutU32BigEndian(NfqueueConstants.CfgMask, flagsMask);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// NFQNL_MSG_VERDICT for one packet (NFQA_VERDICT_HDR: be32 verdict, be32 id). Sent without NLM_F_ACK: the
    /// kernel only answers on error, which keeps the per-packet cost to one send.
    /// </summary>
    public static bool TryBuildVerdict(Span<byte> destination, uint sequence, ushort queue, uint packetId, NfqueueVerdict verdict, out int written) =>
        TryBuildVerdictMessage(destination, NfqueueConstants.MsgVerdict, sequence, queue, packetId, verdict, out written);

    /// <summary>NFQNL_MSG_VERDICT for one packet that also sets the packet's mark (NFQA_MARK, be32), which later rules can match.</summary>
    public static bool TryBuildVerdictWithMark(Span<byte> destination, uint sequence, ushort queue, uint packetId, NfqueueVerdict verdict, uint mark, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysQueue, NfqueueConstants.MsgVerdict), NetlinkFlags.Request, sequence);
        writer.WriteNfgenmsg(family: 0, resourceId: queue);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)verdict);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], packetId);
        writer.PutBytes(NfqueueConstants.AttrVerdictHdr, header);
        writer.PutU32BigEndian(NfqueueConstants.AttrMark, mark);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>NFQNL_MSG_VERDICT_BATCH: the verdict applies to every queued packet with an id up to <paramref name="highestPacketId"/>.</summary>
    public static bool TryBuildVerdictBatch(Span<byte> destination, uint sequence, ushort queue, uint highestPacketId, NfqueueVerdict verdict, out int written) =>
        TryBuildVerdictMessage(destination, NfqueueConstants.MsgVerdictBatch, sequence, queue, highestPacketId, verdict, out written);

    private static bool TryBuildVerdictMessage(Span<byte> destination, byte type, uint sequence, ushort queue, uint packetId, NfqueueVerdict verdict, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysQueue, type), NetlinkFlags.Request, sequence);
        writer.WriteNfgenmsg(family: 0, resourceId: queue);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)verdict);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], packetId);
        writer.PutBytes(NfqueueConstants.AttrVerdictHdr, header);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static NetlinkWriter BeginConfig(Span<byte> destination, uint sequence, ushort queue, out int message)
    {
        var writer = new NetlinkWriter(destination);
        message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysQueue, NfqueueConstants.MsgConfig), NetlinkFlags.Request | NetlinkFlags.Ack, sequence);
        writer.WriteNfgenmsg(family: 0, resourceId: queue);
        return writer;
    }
}
