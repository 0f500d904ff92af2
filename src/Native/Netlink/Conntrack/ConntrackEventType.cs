namespace Minuet.Native.Netlink.Conntrack;

/// <summary>What a ctnetlink message says happened (or, for GET/dump replies, <see cref="Entry"/>).</summary>
public enum ConntrackEventType
{
    Unknown = 0,

    /// <summary>A new entry (IPCTNL_MSG_CT_NEW with NLM_F_CREATE|NLM_F_EXCL).</summary>
    New,

    /// <summary>A changed entry (IPCTNL_MSG_CT_NEW without NLM_F_CREATE): state, status bits such as SEEN_REPLY.</summary>
    Update,

    /// <summary>An entry that left the table (IPCTNL_MSG_CT_DELETE).</summary>
    Destroy,

    /// <summary>An entry reported by GET or a dump rather than by an event.</summary>
    Entry,
}
