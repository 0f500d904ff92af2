using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

#pragma warning disable CS8981, IDE1006 // C names kept on purpose: they are searched for in kernel headers.

/// <summary>struct pollfd from poll.h.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct pollfd
{
    public int fd;
    public short events;
    public short revents;
}
