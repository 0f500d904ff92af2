using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct nlmsgerr from linux/netlink.h: payload of NLMSG_ERROR; error is a negative errno, or 0 for an ACK.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct nlmsgerr
{
    public int error;
    public nlmsghdr msg;

    public const int Size = 4 + nlmsghdr.Size;
}
