namespace Minuet.Native.Netlink.Conntrack;

/// <summary>Receives parsed conntrack events; implement on a struct so delivery allocates nothing.</summary>
internal interface IConntrackEventHandler
{
    void OnEvent(in ConntrackEntryInfo entry);
}
