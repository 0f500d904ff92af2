using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    /// <summary>sendmmsg(2): sends up to <paramref name="vlen"/> datagrams; returns how many went or -1 (errno set).</summary>
    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    internal static unsafe partial int Sendmmsg(int fd, mmsghdr* msgvec, uint vlen, int flags);
}
