using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct msghdr from sys/socket.h (x86-64/arm64 glibc layout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct msghdr
{
    public unsafe void* msg_name;
    public uint msg_namelen;
    public unsafe iovec* msg_iov;
    public nuint msg_iovlen;
    public unsafe void* msg_control;
    public nuint msg_controllen;
    public int msg_flags;
}
