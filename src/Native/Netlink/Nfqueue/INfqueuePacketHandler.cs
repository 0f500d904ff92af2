namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Receives queued packets; implement on a struct so delivery allocates nothing. Give each packet a verdict.</summary>
internal interface INfqueuePacketHandler
{
    void OnPacket(in NfqueuePacket packet);
}
