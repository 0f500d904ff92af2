using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    [LibraryImport(Libraries.Libc, EntryPoint = "recvmsg", SetLastError = true)]
    internal static unsafe partial nint RecvMsg(SafeHandles.SafeDescriptorHandle socket, msghdr* message, int flags);
}
