using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct sockaddr_nl from linux/netlink.h: a netlink endpoint (port id 0 is the kernel).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sockaddr_nl
{
    public ushort nl_family;
    public ushort nl_pad;
    public uint nl_pid;
    public uint nl_groups;

    public const int Size = 12;
}
