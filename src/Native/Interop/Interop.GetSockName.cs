using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    [LibraryImport(Libraries.Libc, EntryPoint = "getsockname", SetLastError = true)]
    internal static unsafe partial int GetSockName(SafeHandles.SafeDescriptorHandle socket, sockaddr_nl* address, uint* addressLength);
}
