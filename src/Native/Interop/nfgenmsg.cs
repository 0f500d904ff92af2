using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct nfgenmsg from linux/netfilter/nfnetlink.h: the family/version/resource-id header after nlmsghdr; res_id is big-endian.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct nfgenmsg
{
    public byte nfgen_family;
    public byte version;
    public ushort res_id;

    public const int Size = 4;
}
