using System.Buffers.Binary;

namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Reads NFQNL_MSG_PACKET messages without allocating.</summary>
internal static class NfqueueParser
{
    public static NfqueueParseError TryParse(in NetlinkMessage message, out NfqueuePacket packet)
    {
        packet = default;
        if (message.Type != Nfnetlink.MessageType(Nfnetlink.SubsysQueue, NfqueueConstants.MsgPacket))
        {
            return NfqueueParseError.NotAPacket;
        }

        if (!message.TryGetNfgenmsg(out _, out ushort queue))
        {
            return NfqueueParseError.MalformedAttribute;
        }

        uint id = 0, mark = 0, inDevice = 0, outDevice = 0, capturedLength = 0;
        ushort hardwareProtocol = 0;
        byte hook = 0;
        bool hasHeader = false;
        ReadOnlySpan<byte> payload = default;
        var attributes = message.NfnetlinkAttributes;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case NfqueueConstants.AttrPacketHdr when attribute.Value.Length >= NfqueueConstants.PacketHdrSize:
                    id = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                    hardwareProtocol = BinaryPrimitives.ReadUInt16BigEndian(attribute.Value[4..]);
                    hook = attribute.Value[6];
                    hasHeader = true;
                    break;
                case NfqueueConstants.AttrMark:
                    attribute.TryGetU32BigEndian(out mark);
                    break;
                case NfqueueConstants.AttrIfIndexInDev:
                    attribute.TryGetU32BigEndian(out inDevice);
                    break;
                case NfqueueConstants.AttrIfIndexOutDev:
                    attribute.TryGetU32BigEndian(out outDevice);
                    break;
                case NfqueueConstants.AttrCapLen:
                    attribute.TryGetU32BigEndian(out capturedLength);
                    break;
                case NfqueueConstants.AttrPayload:
                    payload = attribute.Value;
                    break;
            }
        }

        if (attributes.Error != NetlinkReadError.None)
        {
            return NfqueueParseError.MalformedAttribute;
        }

        if (!hasHeader)
        {
            return NfqueueParseError.MissingPacketHeader;
        }

        packet = new NfqueuePacket(queue, id, hardwareProtocol, hook, mark, inDevice, outDevice, capturedLength == 0 ? (uint)payload.Length : capturedLength, payload);
        return NfqueueParseError.None;
    }
}
