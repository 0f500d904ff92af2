using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Minuet.Native.Netlink.Route;

/// <summary>
/// Pure builders of rtnetlink IPv4 route requests (lookup, dump, add/replace, delete) and the parser of the
/// kernel's RTM_NEWROUTE answers. Addresses are host order in the API, network order on the wire.
/// </summary>
[SkipLocalsInit]
internal static class RouteMessages
{
    public const int MaxMessageSize = 128;

    /// <summary>RTM_GETROUTE for one address: the kernel answers with the route it would use (a FIB lookup), or ENETUNREACH.</summary>
    public static bool TryBuildLookup(Span<byte> destination, uint sequence, uint address, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(RouteConstants.MsgGetRoute, NetlinkFlags.Request, sequence);
        WriteRtmsg(ref writer, prefixLength: 32, table: 0, protocol: 0, scope: 0, type: 0);
        writer.PutU32BigEndian(RouteConstants.AttrDst, address);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>RTM_GETROUTE dump of every IPv4 route of every table.</summary>
    public static bool TryBuildDump(Span<byte> destination, uint sequence, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(RouteConstants.MsgGetRoute, NetlinkFlags.Request | NetlinkFlags.Dump, sequence);
        WriteRtmsg(ref writer, prefixLength: 0, table: 0, protocol: 0, scope: 0, type: 0);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>
    /// RTM_NEWROUTE (create or replace, with ACK) of a unicast route in the main table through device
    /// <paramref name="outputInterface"/> with a preferred source (0: none) and the given protocol, which marks
    /// whose route it is. Scope host for a loopback device route, so the source is chosen among local addresses.
    /// </summary>
    public static bool TryBuildReplace(Span<byte> destination, uint sequence, uint network, byte prefixLength, uint outputInterface, uint preferredSource, byte protocol, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(RouteConstants.MsgNewRoute, NetlinkFlags.Request | NetlinkFlags.Ack | NetlinkFlags.Create | NetlinkFlags.Replace, sequence);
        WriteRtmsg(ref writer, prefixLength, RouteConstants.TableMain, protocol, RouteConstants.ScopeUniverse, RouteConstants.TypeUnicast);
        writer.PutU32BigEndian(RouteConstants.AttrDst, network);
        writer.PutU32(RouteConstants.AttrOif, outputInterface);
        if (preferredSource != 0)
        {
            writer.PutU32BigEndian(RouteConstants.AttrPrefSrc, preferredSource);
        }

        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>RTM_DELROUTE (with ACK) of the main-table route to network/prefix with this protocol: only a route of that protocol matches.</summary>
    public static bool TryBuildDelete(Span<byte> destination, uint sequence, uint network, byte prefixLength, byte protocol, out int written)
    {
        var writer = new NetlinkWriter(destination);
        int message = writer.BeginMessage(RouteConstants.MsgDelRoute, NetlinkFlags.Request | NetlinkFlags.Ack, sequence);
        // Scope "nowhere" matches a route of any scope (ip route add dev X makes scope link ones).
        WriteRtmsg(ref writer, prefixLength, RouteConstants.TableMain, protocol, RouteConstants.ScopeNowhere, 0);
        writer.PutU32BigEndian(RouteConstants.AttrDst, network);
        writer.EndMessage(message);
        return writer.TryComplete(out written);
    }

    /// <summary>Reads an RTM_NEWROUTE message; false when it is another type, another family, or too short.</summary>
    public static bool TryParse(in NetlinkMessage message, out RouteInfo route)
    {
        route = default;
        var payload = message.Payload;
        if (message.Type != RouteConstants.MsgNewRoute || payload.Length < RouteConstants.RtmsgSize || payload[0] != RouteConstants.FamilyInet)
        {
            return false;
        }

        byte prefixLength = payload[1];
        uint table = payload[4];
        byte protocol = payload[5];
        byte scope = payload[6];
        byte type = payload[7];
        uint destination = 0, oif = 0, prefsrc = 0, gateway = 0;
        var attributes = new NetlinkAttributeReader(payload[RouteConstants.RtmsgSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case RouteConstants.AttrDst:
                    attribute.TryGetU32BigEndian(out destination);
                    break;
                case RouteConstants.AttrOif:
                    attribute.TryGetU32(out oif);
                    break;
                case RouteConstants.AttrPrefSrc:
                    attribute.TryGetU32BigEndian(out prefsrc);
                    break;
                case RouteConstants.AttrGateway:
                    attribute.TryGetU32BigEndian(out gateway);
                    break;
                case RouteConstants.AttrTable:
                    attribute.TryGetU32(out table);
                    break;
            }
        }

        if (attributes.Error != NetlinkReadError.None)
        {
            return false;
        }

        route = new RouteInfo(destination, prefixLength, table, protocol, scope, type, oif, prefsrc, gateway);
        return true;
    }

    private static void WriteRtmsg(ref NetlinkWriter writer, byte prefixLength, byte table, byte protocol, byte scope, byte type)
    {
        Span<byte> header = stackalloc byte[RouteConstants.RtmsgSize];
        header.Clear();
        header[0] = RouteConstants.FamilyInet;
        header[1] = prefixLength;
        header[4] = table;
        header[5] = protocol;
        header[6] = scope;
        header[7] = type;
        writer.PutRaw(header);
    }
}
