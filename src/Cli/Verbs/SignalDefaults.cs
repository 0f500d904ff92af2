using System.Runtime.InteropServices;

namespace Minuet.Cli.Verbs;

/// <summary>
/// Undoes an inherited "ignore" of SIGINT and SIGTERM. A non-interactive shell starts background jobs (<c>cmd &amp;</c>)
/// with SIGINT ignored, and .NET then leaves SIGINT alone: <see cref="PosixSignalRegistration"/> never installs its
/// handler over an inherited SIG_IGN (verified: a master started so ignored SIGINT forever). Resetting the
/// disposition to SIG_DFL before registering lets the runtime take the signal like any other.
/// </summary>
internal static partial class SignalDefaults
{
    private const int SIGINT = 2;
    private const int SIGTERM = 15;
    private static readonly nint SIG_DFL = 0;
    private static readonly nint SIG_IGN = 1;

    /// <summary>Sets SIGINT and SIGTERM back to their default where they were inherited ignored; a handler already installed is kept.</summary>
    public static void Restore()
    {
        foreach (int signal in new[] { SIGINT, SIGTERM })
        {
            // signal() answers the previous disposition; put a handler back if it was not SIG_IGN.
            nint previous = Signal(signal, SIG_DFL);
            if (previous != SIG_IGN && previous != SIG_DFL && previous != -1)
            {
                _ = Signal(signal, previous);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
