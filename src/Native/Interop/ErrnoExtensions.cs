using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

/// <summary>Turns errno values into the short names and messages that logs and API errors show.</summary>
public static class ErrnoExtensions
{
    /// <summary>Reads the errno left by the last P/Invoke that set it.</summary>
    public static Errno LastError() => (Errno)Marshal.GetLastPInvokeError();

    /// <summary>"EEXIST (17)" style text: the symbolic name people search for, and the number.</summary>
    public static string Describe(this Errno errno) =>
        Enum.IsDefined(errno) ? $"{errno} ({(int)errno})" : $"errno {(int)errno}";
}
