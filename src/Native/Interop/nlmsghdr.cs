using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct nlmsghdr from linux/netlink.h: every netlink message starts with it, fields in host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct nlmsghdr
{
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;

    public const int Size = 16;
}
