using System.Runtime.InteropServices;

namespace Minuet.Cli.Verbs;

/// <summary>
/// Undoes an inherited "ignore" of SIGINT and SIGTERM. A non-interactive shell starts background jobs (<c>cmd &amp;</c>)
/// with SIGINT ignored, and .NET then leaves SIGINT alone: <see cref="PosixSignalRegistration"/> never installs its
/// handler over an inherited SIG_IGN (verified: a master started so ignored SIGINT forever). Resetting the
/// disposition to SIG_DFL before registering lets the runtime take the signal like any other.
/// </summary>
internal static unsafe partial class SignalDefaults
{
    private const int SIGINT = 2;
    private const int SIGTERM = 15;
    private static readonly nint SIG_DFL = 0;
    private static readonly nint SIG_IGN = 1;

    // glibc's struct sigaction is 152 bytes on 64-bit Linux with the handler first; room to spare.
    private const int SigactionBytes = 256;

    /// <summary>Sets SIGINT and SIGTERM back to their default where they were inherited ignored; any other disposition is left untouched.</summary>
    public static void Restore()
    {
        byte* current = stackalloc byte[SigactionBytes];
        foreach (int signal in new[] { SIGINT, SIGTERM })
        {
            // Only read the disposition: swapping a handler out and back with signal() would reinstall the runtime's
            // SA_SIGINFO handler without SA_SIGINFO (seen: SIGINT then ended `up` without stopping its parts).
            if (Sigaction(signal, null, current) == 0 && *(nint*)current == SIG_IGN)
            {
                _ = Signal(signal, SIG_DFL);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int Sigaction(int signal, byte* action, byte* previous);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
