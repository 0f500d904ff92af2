using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    internal const short POLLIN = 0x001;
    internal const short POLLERR = 0x008;

    [LibraryImport(Libraries.Libc, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(pollfd* fds, nuint count, int timeoutMilliseconds);
}
