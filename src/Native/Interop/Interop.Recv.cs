using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    /// <summary>Report the real datagram length even when it did not fit, so truncation is visible.</summary>
    internal const int MSG_TRUNC = 0x20;

    [LibraryImport(Libraries.Libc, EntryPoint = "recv", SetLastError = true)]
    internal static unsafe partial nint Recv(SafeHandles.SafeDescriptorHandle socket, byte* buffer, nuint length, int flags);
}
