namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>One queued packet as NFQNL_MSG_PACKET describes it; <see cref="Payload"/> points into the receive buffer.</summary>
public readonly ref struct NfqueuePacket
{
    public NfqueuePacket(ushort queue, uint packetId, ushort hardwareProtocol, byte hook, uint mark, uint inDevice, uint outDevice, uint capturedLength, ReadOnlySpan<byte> payload)
    {
        Queue = queue;
        PacketId = packetId;
        HardwareProtocol = hardwareProtocol;
        Hook = hook;
        Mark = mark;
        InDevice = inDevice;
        OutDevice = outDevice;
        CapturedLength = capturedLength;
        Payload = payload;
    }

    public ushort Queue { get; }

    /// <summary>The id the verdict must name.</summary>
    public uint PacketId { get; }

    /// <summary>Ethertype of the packet (0x0800 for IPv4).</summary>
    public ushort HardwareProtocol { get; }

    /// <summary>Netfilter hook it was queued from (NF_INET_LOCAL_OUT is 3, PRE_ROUTING 0).</summary>
    public byte Hook { get; }

    public uint Mark { get; }

    public uint InDevice { get; }

    public uint OutDevice { get; }

    /// <summary>The packet's full length when the kernel copied less (NFQA_CAP_LEN), otherwise the payload length.</summary>
    public uint CapturedLength { get; }

    /// <summary>The copied bytes of the packet, from its IP header on.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
