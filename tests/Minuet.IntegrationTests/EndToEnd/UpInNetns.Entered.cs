using System.Diagnostics;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>Up entered into its namespace with <c>nsenter --net</c>: the dockerd it starts needs the host's /sys (cgroups).</summary>
internal sealed partial class UpInNetns
{
    /// <summary>
    /// As <see cref="Start"/> (so <c>--auth off</c> unless the test says otherwise), but through <c>nsenter --net</c>
    /// rather than <c>ip netns exec</c>, which mounts a fresh /sys and so hides the cgroup hierarchy from a dockerd up
    /// starts ("Devices cgroup isn't mounted").
    /// </summary>
    public static UpInNetns StartEntered(string prefix, params string[] upArgs)
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = prefix + "-" + id;
        string dir = Path.Combine("/tmp", prefix + "-" + id);
        Directory.CreateDirectory(dir);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { $"--net=/var/run/netns/{ns}", "dotnet", NetnsProcess.MinuetDll, "up", "--state-dir", Path.Combine(dir, "state") }
            .Concat(upArgs.Contains("--auth") ? [] : ["--auth", "off"]).Concat(upArgs))
        {
            start.ArgumentList.Add(arg);
        }

        return new UpInNetns(ns, dir, Process.Start(start)!);
    }
}
