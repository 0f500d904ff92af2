using System.Runtime.InteropServices;

namespace Minuet.ControlPlane.Agent.Files;

/// <summary>realpath(3) and stat(2) details the files API needs to answer as Mesos does (src/files/files.cpp).</summary>
internal static partial class FilesInterop
{
    /// <summary>The canonical path (symlinks, <c>.</c> and <c>..</c> resolved); null when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        nint resolved = RealPathNative(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);
}
