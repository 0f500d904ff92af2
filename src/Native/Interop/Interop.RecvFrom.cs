using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    [LibraryImport(Libraries.Libc, EntryPoint = "recvfrom", SetLastError = true)]
    internal static unsafe partial nint RecvFrom(SafeHandles.SafeDescriptorHandle socket, byte* buffer, nuint length, int flags, sockaddr_nl* address, uint* addressLength);
}
