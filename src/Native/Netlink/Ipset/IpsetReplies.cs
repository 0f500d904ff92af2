namespace Minuet.Native.Netlink.Ipset;

/// <summary>Parsers of the kernel's ipset answers: the protocol and type probes, and LIST members.</summary>
internal static class IpsetReplies
{
    /// <summary>Reads IPSET_ATTR_PROTOCOL (the kernel's version) and IPSET_ATTR_PROTOCOL_MIN from a PROTOCOL reply.</summary>
    public static bool TryParseProtocol(in NetlinkMessage message, out byte protocol, out byte protocolMin)
    {
        protocol = 0;
        protocolMin = 0;
        var attributes = message.NfnetlinkAttributes;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IpsetAttributes.Protocol:
                    attribute.TryGetU8(out protocol);
                    break;
                case IpsetAttributes.ProtocolMin:
                    attribute.TryGetU8(out protocolMin);
                    break;
            }
        }

        return protocol != 0 && attributes.Error == NetlinkReadError.None;
    }

    /// <summary>Reads the newest (IPSET_ATTR_REVISION) and oldest revision of a set type from a TYPE reply.</summary>
    public static bool TryParseType(in NetlinkMessage message, out byte revision, out byte revisionMin)
    {
        revision = 0;
        revisionMin = 0;
        bool found = false;
        var attributes = message.NfnetlinkAttributes;
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IpsetAttributes.Revision:
                    found = attribute.TryGetU8(out revision);
                    break;
                case IpsetAttributes.RevisionMin:
                    attribute.TryGetU8(out revisionMin);
                    break;
            }
        }

        return found && attributes.Error == NetlinkReadError.None;
    }

    /// <summary>
    /// Appends the hash:ip,port members of one LIST reply part (IPSET_ATTR_ADT → DATA → IP/PORT/PROTO) to
    /// <paramref name="entries"/>. Returns false when the part is malformed; members read before that are kept.
    /// </summary>
    public static bool TryParseListMembers(in NetlinkMessage message, ICollection<IpsetEntry> entries)
    {
        var attributes = message.NfnetlinkAttributes;
        while (attributes.TryRead(out var attribute))
        {
            if (attribute.Type != IpsetAttributes.Adt)
            {
                continue;
            }

            var members = attribute.Nested;
            while (members.TryRead(out var member))
            {
                if (member.Type != IpsetAttributes.Data)
                {
                    continue;
                }

                if (!TryParseMember(member.Nested, out var entry))
                {
                    return false;
                }

                entries.Add(entry);
            }

            if (members.Error != NetlinkReadError.None)
            {
                return false;
            }
        }

        return attributes.Error == NetlinkReadError.None;
    }

    private static bool TryParseMember(NetlinkAttributeReader data, out IpsetEntry entry)
    {
        uint address = 0;
        ushort port = 0;
        byte protocol = 0;
        bool hasAddress = false;
        while (data.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case IpsetAttributes.Ip:
                    var ip = attribute.Nested;
                    while (ip.TryRead(out var inner))
                    {
                        if (inner.Type == IpsetAttributes.IpAddrIpv4)
                        {
                            hasAddress = inner.TryGetU32BigEndian(out address);
                        }
                    }

                    break;
                case IpsetAttributes.Port:
                    attribute.TryGetU16BigEndian(out port);
                    break;
                case IpsetAttributes.Proto:
                    attribute.TryGetU8(out protocol);
                    break;
            }
        }

        entry = new IpsetEntry(address, port, protocol);
        return hasAddress && data.Error == NetlinkReadError.None;
    }
}
