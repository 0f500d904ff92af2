namespace Minuet.Native.Netlink.Route;

/// <summary>Numbers from linux/rtnetlink.h for IPv4 routes: message types, rtmsg fields, attributes.</summary>
internal static class RouteConstants
{
    /// <summary>NETLINK_ROUTE.</summary>
    public const int NetlinkRoute = 0;

    public const ushort MsgNewRoute = 24;
    public const ushort MsgDelRoute = 25;
    public const ushort MsgGetRoute = 26;

    /// <summary>sizeof(struct rtmsg): family, dst_len, src_len, tos, table, protocol, scope, type, u32 flags.</summary>
    public const int RtmsgSize = 12;

    public const byte FamilyInet = 2;

    // enum rt_class_t.
    public const byte TableMain = 254;

    // enum rt_scope_t.
    public const byte ScopeUniverse = 0;
    public const byte ScopeHost = 254;
    public const byte ScopeNowhere = 255;

    // Route types (RTN_*).
    public const byte TypeUnicast = 1;
    public const byte TypeLocal = 2;
    public const byte TypeBlackhole = 6;
    public const byte TypeUnreachable = 7;
    public const byte TypeProhibit = 8;

    // enum rtattr_type_t.
    public const ushort AttrDst = 1;
    public const ushort AttrOif = 4;
    public const ushort AttrGateway = 5;
    public const ushort AttrPrefSrc = 7;
    public const ushort AttrTable = 15;

    /// <summary>The loopback device's index: always 1 in every network namespace.</summary>
    public const uint LoopbackIndex = 1;
}
