using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    /// <summary>MSG_WAITFORONE: block for the first datagram only, then take whatever else is queued.</summary>
    internal const int MSG_WAITFORONE = 0x10000;

    /// <summary>recvmmsg(2): receives up to <paramref name="vlen"/> datagrams; returns the count or -1 (errno set).</summary>
    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    internal static unsafe partial int Recvmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags, void* timeout);
}
