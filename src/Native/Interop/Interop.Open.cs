using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Libraries.Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
