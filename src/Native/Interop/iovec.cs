using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct iovec from sys/uio.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct iovec
{
    public unsafe void* iov_base;
    public nuint iov_len;
}
