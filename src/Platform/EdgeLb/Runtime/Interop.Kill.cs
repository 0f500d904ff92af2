using System.Runtime.InteropServices;

namespace Minuet.Platform.EdgeLb.Runtime;

internal static partial class Interop
{
    public const int SIGTERM = 15;
    public const int SIGUSR2 = 12;

    /// <summary>kill(2): HAProxy's master reloads on SIGUSR2 and stops on SIGTERM; .NET's Process only sends SIGKILL.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
