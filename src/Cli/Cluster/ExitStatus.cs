namespace Minuet.Cli.Cluster;

/// <summary>
/// A child's end in words. .NET reports a process killed by signal N as exit code 128+N (as shells do), and no
/// Minuet verb exits above 128 itself, so such a code is read as the signal.
/// </summary>
internal static class ExitStatus
{
    public static string Describe(int exitCode) => exitCode > 128 && exitCode < 128 + 65
        ? $"was killed by signal {exitCode - 128}{SignalName(exitCode - 128)}"
        : $"exited with code {exitCode}";

    private static string SignalName(int signal) => signal switch
    {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
