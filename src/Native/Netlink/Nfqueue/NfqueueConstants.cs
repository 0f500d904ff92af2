namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Numbers from linux/netfilter/nfnetlink_queue.h (message types, attributes, config commands, flags).</summary>
internal static class NfqueueConstants
{
    // enum nfqnl_msg_types.
    public const byte MsgPacket = 0;
    public const byte MsgVerdict = 1;
    public const byte MsgConfig = 2;
    public const byte MsgVerdictBatch = 3;

    // enum nfqnl_attr_type.
    public const ushort AttrPacketHdr = 1;
    public const ushort AttrVerdictHdr = 2;
    public const ushort AttrMark = 3;
    public const ushort AttrTimestamp = 4;
    public const ushort AttrIfIndexInDev = 5;
    public const ushort AttrIfIndexOutDev = 6;
    public const ushort AttrHwAddr = 9;
    public const ushort AttrPayload = 10;
    public const ushort AttrCt = 11;
    public const ushort AttrCtInfo = 12;
    public const ushort AttrCapLen = 13;
    public const ushort AttrSkbInfo = 14;

    // enum nfqnl_attr_config.
    public const ushort CfgCmd = 1;
    public const ushort CfgParams = 2;
    public const ushort CfgQueueMaxLen = 3;
    public const ushort CfgMask = 4;
    public const ushort CfgFlags = 5;

    // enum nfqnl_msg_config_cmds.
    public const byte CmdBind = 1;
    public const byte CmdUnbind = 2;
    public const byte CmdPfBind = 3;
    public const byte CmdPfUnbind = 4;

    // enum nfqnl_config_mode.
    public const byte CopyNone = 0;
    public const byte CopyMeta = 1;
    public const byte CopyPacket = 2;

    // NFQA_CFG_F_* flags.
    public const uint FlagFailOpen = 0x01;
    public const uint FlagConntrack = 0x02;
    public const uint FlagGso = 0x04;

    /// <summary>sizeof(struct nfqnl_msg_packet_hdr): be32 packet_id, be16 hw_protocol, u8 hook (packed).</summary>
    public const int PacketHdrSize = 7;
}
