using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct nlattr from linux/netlink.h: a type-length-value attribute header; nla_len counts the header, not the padding.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct nlattr
{
    public ushort nla_len;
    public ushort nla_type;

    public const int Size = 4;
}
