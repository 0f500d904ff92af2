using System.Diagnostics;
using Minuet.ControlPlane.Agent.Network;

namespace Minuet.Cli.Cluster;

/// <summary>
/// Starts a child of <c>up</c> in a session and process group of its own, through util-linux <c>setsid</c> (the agent
/// starts its tasks the same way). Ctrl-C sends SIGINT to the terminal's foreground process group; children left in
/// <c>up</c>'s group would all get it at once and stop in any order, while <c>up</c> stops them in reverse start
/// order (the data plane removing its kernel rules while the master still runs). .NET's Process cannot call
/// setsid/setpgid between fork and exec, hence the tool. A child of <c>up</c> is never a process group leader, so
/// <c>setsid</c> execs in place: the pid <c>up</c> holds stays the member's own.
/// </summary>
internal static class OwnProcessGroup
{
    /// <summary>The <c>setsid</c> tool's path, or null where util-linux is missing (children then share up's group).</summary>
    public static string? Find() => ToolRunner.Find("setsid");

    /// <summary><paramref name="start"/> run as <c>setsid FILE ARGS...</c>.</summary>
    public static ProcessStartInfo Wrap(ProcessStartInfo start, string setsid)
    {
        start.ArgumentList.Insert(0, start.FileName);
        start.FileName = setsid;
        return start;
    }
}
