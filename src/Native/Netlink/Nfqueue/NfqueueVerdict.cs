namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Netfilter verdicts (NF_* in linux/netfilter.h) a queue reader can return.</summary>
public enum NfqueueVerdict : uint
{
    Drop = 0,
    Accept = 1,
    Stolen = 2,
    Queue = 3,
    Repeat = 4,
    Stop = 5,
}
