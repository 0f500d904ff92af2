using System.Runtime.InteropServices;

namespace Minuet.ControlPlane.Agent.Processes;

/// <summary>
/// The few libc calls the agent needs (signals to process groups, network namespace switches). They live here
/// rather than in src/Native because the control plane does not reference the data-plane native layer.
/// Each returns 0 or an errno value; callers decide what a failure means.
/// </summary>
internal static partial class AgentInterop
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int ESRCH = 3;
    public const int CLONE_NEWNET = 0x40000000;

    /// <summary>kill(2); a negative pid addresses the whole process group.</summary>
    public static int Kill(int pid, int signal) => KillNative(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>setns(2) on the calling thread.</summary>
    public static int SetNs(SafeHandle fd, int nsType)
    {
        bool added = false;
        fd.DangerousAddRef(ref added);
        try
        {
            return SetNsNative((int)fd.DangerousGetHandle(), nsType) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNsNative(int fd, int nsType);
}
