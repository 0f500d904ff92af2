using System.Text.RegularExpressions;
using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.IntegrationTests.Cli;

/// <summary>
/// <c>minuet up</c> (not as root's L4 balancer: <c>--l4lb off</c>) puts each part in a process group of its own, so
/// a terminal's Ctrl-C (SIGINT to the foreground group) reaches only <c>up</c>, which stops them in reverse order.
/// </summary>
public sealed partial class UpProcessGroupTests
{
    [Fact]
    public async Task Up_CtrlCToItsProcessGroup_ReachesOnlyUpWhichStopsEachPartInReverseOrder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-up-pgrp-" + Guid.NewGuid().ToString("N")[..8]);
        var parts = new List<ProcStat>();
        try
        {
            using var up = SignalledCli.Start(ownSession: true, "up", "--state-dir", dir, "--l4lb", "off", "--no-docker",
                "--master-listen", $"127.0.0.1:{SignalledCli.FreePort()}", "--marathon-listen", $"127.0.0.1:{SignalledCli.FreePort()}",
                "--dns-listen", $"127.0.0.1:{SignalledCli.FreePort()}", "--http-listen", $"127.0.0.1:{SignalledCli.FreePort()}",
                "--admin-router-listen", $"127.0.0.1:{SignalledCli.FreePort()}", "--packages-listen", $"127.0.0.1:{SignalledCli.FreePort()}",
                "--jobs-listen", $"127.0.0.1:{SignalledCli.FreePort()}", "--chronos-listen", $"127.0.0.1:{SignalledCli.FreePort()}");
            await up.WaitForOutputAsync("Try:", TimeSpan.FromSeconds(150));
            var pids = PidPattern().Matches(up.Output).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(7, pids.Count); // master, marathon, agent 0, data plane (its dns line), packages, jobs, admin router
            parts.AddRange(pids.Select(pid => ProcStat.TryRead(pid)!.Value));

            int upGroup = ProcStat.TryRead(up.Process.Id)!.Value.ProcessGroup;
            Assert.Equal(up.Process.Id, upGroup);
            foreach (var part in parts)
            {
                // Its own group, led by the part itself: setsid exec'd in place, so up's pid is the part's.
                Assert.Equal(part.Pid, part.ProcessGroup);
            }

            Assert.Equal(0, AgentInterop.Kill(-upGroup, 2));

            Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            var stopped = StoppedPattern().Matches(up.Output).Select(m => m.Groups[1].Value).ToList();
            // Tier by tier; packages and jobs share a tier and stop together, in either order.
            Assert.Equal(7, stopped.Count);
            Assert.Equal("admin-router", stopped[0]);
            Assert.Equal(["jobs", "packages"], stopped[1..3].Order(StringComparer.Ordinal));
            Assert.Equal(["dataplane", "agent0", "scheduler", "master"], stopped[3..]);
            Assert.All(parts, part => Assert.False(ProcStat.IsSameLiveProcess(part.Pid, part.StartTime), $"part {part.Pid} still runs"));
        }
        finally
        {
            foreach (var part in parts.Where(p => ProcStat.IsSameLiveProcess(p.Pid, p.StartTime)))
            {
                AgentInterop.Kill(part.Pid, AgentInterop.SIGKILL);
            }

            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [GeneratedRegex(@"\[pid (\d+)\]")]
    private static partial Regex PidPattern();

    // "  NAME  stopped" with nothing after it: a part killed after the grace period would read "stopped (killed ...)".
    [GeneratedRegex(@"(?m)^  (\S+)\s+stopped\r?$")]
    private static partial Regex StoppedPattern();
}
