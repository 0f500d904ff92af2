using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    internal const int MSG_DONTWAIT = 0x40;

    [LibraryImport(Libraries.Libc, EntryPoint = "send", SetLastError = true)]
    internal static unsafe partial nint Send(SafeHandles.SafeDescriptorHandle socket, byte* buffer, nuint length, int flags);
}
