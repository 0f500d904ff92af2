namespace Minuet.Native.Netlink.Conntrack;

/// <summary>Which conntrack multicast groups (NFNLGRP_CONNTRACK_*) a listener joins.</summary>
[Flags]
public enum ConntrackEventGroups
{
    None = 0,
    New = 1,
    Update = 2,
    Destroy = 4,
    All = New | Update | Destroy,
}
