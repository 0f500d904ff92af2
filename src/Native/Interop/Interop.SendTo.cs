using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    [LibraryImport(Libraries.Libc, EntryPoint = "sendto", SetLastError = true)]
    internal static unsafe partial nint SendTo(SafeHandles.SafeDescriptorHandle socket, byte* buffer, nuint length, int flags, sockaddr_nl* address, uint addressLength);
}
