namespace Minuet.Native.Interop;

/// <summary>Names of the native libraries the interop declarations bind to.</summary>
internal static class Libraries
{
    /// <summary>glibc (or musl) resolved by the runtime's probing as "libc.so.6"/"libc".</summary>
    internal const string Libc = "libc";
}
