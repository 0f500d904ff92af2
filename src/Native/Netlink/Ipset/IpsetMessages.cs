using Minuet.Native.Netlink;

namespace Minuet.Native.Netlink.Ipset;

/// <summary>
/// Pure builders of ipset requests, byte-for-byte what the `ipset` tool (v7.17) sends, so they can be checked against
/// its captured messages. Each returns false when the destination is too small.
/// </summary>
internal static class IpsetMessages
{
    private const byte FamilyInet = 2; // NFPROTO_IPV4

    /// <summary>Biggest message these builders produce with a 31-character name (create with options: 96 bytes).</summary>
    public const int MaxMessageSize = 128;

    public static bool TryBuildProtocol(Span<byte> destination, uint sequence, out int written)
    {
        var writer = Begin(destination, IpsetCommand.Protocol, NetlinkFlags.Request, sequence, IpsetAttributes.ProtocolVersion, out int message);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>IPSET_CMD_TYPE: asks which revisions of a set type the kernel has.</summary>
    public static bool TryBuildType(Span<byte> destination, uint sequence, byte protocol, string typeName, out int written)
    {
        var writer = Begin(destination, IpsetCommand.Type, NetlinkFlags.Request, sequence, protocol, out int message);
        writer.PutStringZ(IpsetAttributes.TypeName, typeName);
        writer.PutU8(IpsetAttributes.Family, FamilyInet);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// IPSET_CMD_CREATE of an inet set. <paramref name="hashSize"/> and <paramref name="maxElements"/> are left to the
    /// kernel defaults (1024, 65536) when 0. Create fails with EEXIST if the set exists (NLM_F_EXCL, as the tool).
    /// </summary>
    public static bool TryBuildCreate(Span<byte> destination, uint sequence, byte protocol, string setName, string typeName, byte revision, uint hashSize, uint maxElements, out int written)
    {
        var writer = Begin(destination, IpsetCommand.Create, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Excl | NetlinkFlags.Create, sequence, protocol, out int message);
        writer.PutStringZ(IpsetAttributes.SetName, setName);
        writer.PutStringZ(IpsetAttributes.TypeName, typeName);
        writer.PutU8(IpsetAttributes.Revision, revision);
        writer.PutU8(IpsetAttributes.Family, FamilyInet);
        int data = writer.BeginNested(IpsetAttributes.Data);
        if (hashSize != 0)
        {
            writer.PutU32BigEndian(IpsetAttributes.HashSize | NetlinkAttributeFlags.NetByteOrder, hashSize);
        }

        if (maxElements != 0)
        {
            writer.PutU32BigEndian(IpsetAttributes.MaxElem | NetlinkAttributeFlags.NetByteOrder, maxElements);
        }

        writer.EndNested(data);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// IPSET_CMD_ADD of one ip,proto:port. With <paramref name="exclusive"/> an existing entry is an error
    /// (IPSET_ERR_EXIST); without it adding an existing entry succeeds (the tool's -exist).
    /// </summary>
    public static bool TryBuildAdd(Span<byte> destination, uint sequence, byte protocol, string setName, IpsetEntry entry, bool exclusive, out int written) =>
        TryBuildEntryCommand(destination, IpsetCommand.Add, sequence, protocol, setName, entry, exclusive, lineNumber: true, out written);

    /// <summary>IPSET_CMD_DEL; without <paramref name="exclusive"/> deleting a missing entry succeeds.</summary>
    public static bool TryBuildDel(Span<byte> destination, uint sequence, byte protocol, string setName, IpsetEntry entry, bool exclusive, out int written) =>
        TryBuildEntryCommand(destination, IpsetCommand.Del, sequence, protocol, setName, entry, exclusive, lineNumber: true, out written);

    /// <summary>IPSET_CMD_TEST: the ACK is 0 when the entry is in the set, IPSET_ERR_EXIST when it is not.</summary>
    public static bool TryBuildTest(Span<byte> destination, uint sequence, byte protocol, string setName, IpsetEntry entry, out int written) =>
        TryBuildEntryCommand(destination, IpsetCommand.Test, sequence, protocol, setName, entry, exclusive: false, lineNumber: false, out written);

    public static bool TryBuildFlush(Span<byte> destination, uint sequence, byte protocol, string setName, out int written) =>
        TryBuildNamed(destination, IpsetCommand.Flush, NetlinkFlags.Request | NetlinkFlags.Ack, sequence, protocol, setName, out written);

    /// <summary>IPSET_CMD_DESTROY of one named set (never the name-less form, which destroys every set).</summary>
    public static bool TryBuildDestroy(Span<byte> destination, uint sequence, byte protocol, string setName, out int written) =>
        TryBuildNamed(destination, IpsetCommand.Destroy, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Excl, sequence, protocol, setName, out written);

    /// <summary>IPSET_CMD_LIST dump of one set: header and members, in NLM_F_MULTI parts.</summary>
    public static bool TryBuildList(Span<byte> destination, uint sequence, byte protocol, string setName, out int written) =>
        TryBuildNamed(destination, IpsetCommand.List, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Dump, sequence, protocol, setName, out written);

    /// <summary>IPSET_CMD_SWAP: exchanges the contents (and names) of two sets of the same type atomically.</summary>
    public static bool TryBuildSwap(Span<byte> destination, uint sequence, byte protocol, string setName, string otherSetName, out int written)
    {
        var writer = Begin(destination, IpsetCommand.Swap, NetlinkFlags.Request | NetlinkFlags.Ack, sequence, protocol, out int message);
        writer.PutStringZ(IpsetAttributes.SetName, setName);
        writer.PutStringZ(IpsetAttributes.SetName2, otherSetName);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static bool TryBuildNamed(Span<byte> destination, byte command, ushort flags, uint sequence, byte protocol, string setName, out int written)
    {
        var writer = Begin(destination, command, flags, sequence, protocol, out int message);
        writer.PutStringZ(IpsetAttributes.SetName, setName);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static bool TryBuildEntryCommand(Span<byte> destination, byte command, uint sequence, byte protocol, string setName, IpsetEntry entry, bool exclusive, bool lineNumber, out int written)
    {
        ushort flags = (ushort)(NetlinkFlags.Request | NetlinkFlags.Ack | (exclusive ? NetlinkFlags.Excl : 0));
        var writer = Begin(destination, command, flags, sequence, protocol, out int message);
        writer.PutStringZ(IpsetAttributes.SetName, setName);
        int data = writer.BeginNested(IpsetAttributes.Data);
        int ip = writer.BeginNested(IpsetAttributes.Ip);
        writer.PutU32BigEndian(IpsetAttributes.IpAddrIpv4 | NetlinkAttributeFlags.NetByteOrder, entry.Address);
        writer.EndNested(ip);
        writer.PutU16BigEndian(IpsetAttributes.Port | NetlinkAttributeFlags.NetByteOrder, entry.Port);
        writer.PutU8(IpsetAttributes.Proto, entry.Protocol);
        if (lineNumber)
        {
            // The tool always sends line 0 outside `ipset restore`; kept so our bytes equal its bytes.
            writer.PutU32BigEndian(IpsetAttributes.LineNo | NetlinkAttributeFlags.NetByteOrder, 0);
        }

        writer.EndNested(data);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    private static NetlinkWriter Begin(Span<byte> destination, byte command, ushort flags, uint sequence, byte protocol, out int message)
    {
        var writer = new NetlinkWriter(destination);
        message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysIpset, command), flags, sequence);
        writer.WriteNfgenmsg(FamilyInet, resourceId: 0);
        writer.PutU8(IpsetAttributes.Protocol, protocol);
        return writer;
    }
}
