namespace Minuet.TestSupport;

/// <summary>What the test process may do to the kernel: root, and the tools that network tests drive.</summary>
public static class Privileges
{
    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    /// <summary>Why a root test cannot run here, or null when it can.</summary>
    public static string? RootUnavailableReason() =>
        IsRoot ? null : "needs root (run ./test.sh as root; CI does)";

    /// <summary>Why a root-and-netns test cannot run here, or null when it can.</summary>
    public static string? NetnsUnavailableReason()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux network namespaces";
        }

        if (!IsRoot)
        {
            return "needs root to create network namespaces (run ./test.sh as root; CI does)";
        }

        foreach (var tool in new[] { "ip", "iptables", "ipset", "conntrack" })
        {
            if (!ToolExists(tool))
            {
                return $"needs '{tool}' on PATH (./test.sh installs it)";
            }
        }

        return null;
    }

    public static bool ToolExists(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries)
                     .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]))
        {
            if (File.Exists(Path.Combine(dir, tool)))
            {
                return true;
            }
        }

        return false;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();
}
