using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>
/// struct mmsghdr from sys/socket.h (x86-64/arm64 glibc): a struct msghdr followed by msg_len. The msghdr
/// fields are laid out inline with their 64-bit offsets so recvmmsg/sendmmsg need nothing else from this folder.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct mmsghdr
{
    [FieldOffset(0)]
    public void* msg_name;

    [FieldOffset(8)]
    public uint msg_namelen;

    /// <summary>Points at struct iovec entries: { void* iov_base; size_t iov_len; }.</summary>
    [FieldOffset(16)]
    public void* msg_iov;

    [FieldOffset(24)]
    public nuint msg_iovlen;

    [FieldOffset(32)]
    public void* msg_control;

    [FieldOffset(40)]
    public nuint msg_controllen;

    [FieldOffset(48)]
    public int msg_flags;

    /// <summary>Bytes received (recvmmsg) or sent (sendmmsg) for this message.</summary>
    [FieldOffset(56)]
    public uint msg_len;
}
