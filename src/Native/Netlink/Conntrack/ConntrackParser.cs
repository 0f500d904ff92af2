using System.Runtime.CompilerServices;

namespace Minuet.Native.Netlink.Conntrack;

/// <summary>Reads ctnetlink messages (events, GET and dump replies) into <see cref="ConntrackEntryInfo"/> without allocating.</summary>
[SkipLocalsInit]
internal static class ConntrackParser
{
    public static ConntrackParseError TryParse(in NetlinkMessage message, out ConntrackEntryInfo entry, bool isEvent = true)
    {
        entry = default;
        if (Nfnetlink.Subsystem(message.Type) != Nfnetlink.SubsysCtnetlink)
        {
            return ConntrackParseError.NotConntrack;
        }

        var eventType = Nfnetlink.Command(message.Type) switch
        {
            CtnetlinkCommand.New when !isEvent => ConntrackEventType.Entry,
            CtnetlinkCommand.New => (message.Flags & (NetlinkFlags.Create | NetlinkFlags.Excl)) != 0 ? ConntrackEventType.New : ConntrackEventType.Update,
            CtnetlinkCommand.Delete => ConntrackEventType.Destroy,
            _ => ConntrackEventType.Unknown,
        };
        if (eventType == ConntrackEventType.Unknown)
        {
            return ConntrackParseError.NotConntrack;
        }

        if (!message.TryGetNfgenmsg(out byte family, out _))
        {
            return ConntrackParseError.MalformedAttribute;
        }

        if (family != 2)
        {
            return ConntrackParseError.UnsupportedFamily;
        }

        ConntrackTuple original = default, reply = default;
        bool hasOriginal = false;
        uint status = 0, id = 0, timeout = 0, mark = 0;
        byte tcpState = 0;
        var attributes = message.NfnetlinkAttributes;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case CtaAttributes.TupleOrig:
                    hasOriginal = TryParseTuple(attribute.Nested, out original);
                    break;
                case CtaAttributes.TupleReply:
                    _ = TryParseTuple(attribute.Nested, out reply);
                    break;
                case CtaAttributes.Status:
                    attribute.TryGetU32BigEndian(out status);
                    break;
                case CtaAttributes.Id:
                    attribute.TryGetU32BigEndian(out id);
                    break;
                case CtaAttributes.Timeout:
                    attribute.TryGetU32BigEndian(out timeout);
                    break;
                case CtaAttributes.Mark:
                    attribute.TryGetU32BigEndian(out mark);
                    break;
                case CtaAttributes.ProtoInfo:
                    if (!TryParseTcpState(attribute.Nested, out tcpState))
                    {
                        return ConntrackParseError.MalformedAttribute;
                    }

                    break;
            }
        }

        if (attributes.Error != NetlinkReadError.None)
        {
            return ConntrackParseError.MalformedAttribute;
        }

        if (!hasOriginal)
        {
            return ConntrackParseError.MissingOriginalTuple;
        }

        entry = new ConntrackEntryInfo(eventType, original, reply, (ConntrackStatus)status, (TcpConntrackState)tcpState, id, timeout, mark);
        return ConntrackParseError.None;
    }

    private static bool TryParseTuple(NetlinkAttributeReader tuple, out ConntrackTuple result)
    {
        result = default;
        uint source = 0, destination = 0;
        ushort sourcePort = 0, destinationPort = 0;
        byte protocol = 0;
        bool hasSource = false, hasDestination = false;
        while (tuple.TryRead(out var part))
        {
            var inner = part.Nested;
            if (part.Type == CtaAttributes.TupleIp)
            {
                while (inner.TryRead(out var ip))
                {
                    if (ip.Type == CtaAttributes.IpV4Src)
                    {
                        hasSource = ip.TryGetU32BigEndian(out source);
                    }
                    else if (ip.Type == CtaAttributes.IpV4Dst)
                    {
                        hasDestination = ip.TryGetU32BigEndian(out destination);
                    }
                }
            }
            else if (part.Type == CtaAttributes.TupleProto)
            {
                while (inner.TryRead(out var proto))
                {
                    switch (proto.Type)
                    {
                        case CtaAttributes.ProtoNum:
                            proto.TryGetU8(out protocol);
                            break;
                        case CtaAttributes.ProtoSrcPort:
                            proto.TryGetU16BigEndian(out sourcePort);
                            break;
                        case CtaAttributes.ProtoDstPort:
                            proto.TryGetU16BigEndian(out destinationPort);
                            break;
                    }
                }
            }

            if (inner.Error != NetlinkReadError.None)
            {
                return false;
            }
        }

        if (tuple.Error != NetlinkReadError.None || !hasSource || !hasDestination || protocol == 0)
        {
            return false;
        }

        result = new ConntrackTuple(source, destination, sourcePort, destinationPort, protocol);
        return true;
    }

    private static bool TryParseTcpState(NetlinkAttributeReader protoInfo, out byte state)
    {
        state = 0;
        while (protoInfo.TryRead(out var info))
        {
            if (info.Type != CtaAttributes.ProtoInfoTcp)
            {
                continue;
            }

            var tcp = info.Nested;
            while (tcp.TryRead(out var field))
            {
                if (field.Type == CtaAttributes.ProtoInfoTcpState)
                {
                    field.TryGetU8(out state);
                }
            }

            if (tcp.Error != NetlinkReadError.None)
            {
                return false;
            }
        }

        return protoInfo.Error == NetlinkReadError.None;
    }
}
