using System.Diagnostics;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// <c>minuet up</c> supervises its parts as systemd does DC/OS's: kill -9 of any one brings that one back, the
/// others keep their processes and the tasks keep running; SIGTERM stops everything fast, a tier at once.
/// </summary>
public sealed class UpSupervisionNetnsTests
{
    [NetnsFact]
    public async Task Up_EachPartKilled9_IsRestartedAloneAndTasksKeepRunning()
    {
        using var up = UpInNetns.Start("msup", "--agents", "2", "--vip-range", "198.19.0.0/16");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(120));
        string endpoints = Path.Combine(up.StateDir, Minuet.Cli.Cluster.UpEndpoints.FileName);
        await UpInNetns.WaitAsync(() => File.Exists(endpoints), "endpoints.json", () => up.Output, TimeSpan.FromSeconds(10));
        Assert.Equal("127.0.0.1:53", Minuet.Cli.Cluster.UpEndpoints.TryRead(endpoints, checkAlive: true)?.Dns);
        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":2,"cpus":0.1,"mem":64,
             "portDefinitions":[{"port":0,"labels":{"VIP_0":"/web:80"}}]}
            """);
        var added = up.Cli("app", "add", app);
        Assert.True(added.Code == 0, added.Output);
        await UpInNetns.WaitAsync(() => RunningTasks(up).Count == 2, "2 running tasks", () => up.Cli("task", "list").Output + up.Output, TimeSpan.FromSeconds(90));
        var tasks = RunningTasks(up);
        var taskPids = TaskPids(up);
        Assert.Equal(2, taskPids.Count);

        var pids = up.BannerPids();
        Assert.Equal(["agent0", "agent1", "dataplane", "master", "scheduler"], pids.Keys.Order());
        foreach (string victim in new[] { "agent1", "dataplane", "master", "scheduler" })
        {
            var before = pids.Where(p => p.Key != victim).ToDictionary(p => p.Key, p => ProcStat.TryRead(p.Value)!.Value);
            Assert.Equal(0, AgentInterop.Kill(pids[victim], AgentInterop.SIGKILL));
            await up.WaitForOutputAsync($"{victim} (pid {pids[victim]}) was killed by signal 9 (SIGKILL); restarting it in", TimeSpan.FromSeconds(20));
            await up.WaitForOutputAsync($"{victim} restarted [pid ", TimeSpan.FromSeconds(90));
            Assert.DoesNotContain($"{victim} restarted [pid {pids[victim]}] but is not ready", up.Output, StringComparison.Ordinal);
            int restarted = int.Parse(System.Text.RegularExpressions.Regex.Match(up.Output, $@"{victim} restarted \[pid (\d+)\], ready").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ProcStat.TryRead(restarted) is not null, $"restarted {victim} {restarted} runs\n{up.Output}");
            foreach (var (name, stat) in before)
            {
                Assert.True(ProcStat.IsSameLiveProcess(stat.Pid, stat.StartTime), $"{name} (pid {stat.Pid}) kept running while {victim} was restarted\n{up.Output}");
            }

            Assert.False(up.Process.HasExited, up.Output);
            pids[victim] = restarted;
        }

        // The tasks never stopped: the same processes run and the cluster still lists the same two task ids.
        Assert.Equal(taskPids, TaskPids(up));
        await UpInNetns.WaitAsync(() => RunningTasks(up).SetEquals(tasks), "the same 2 running tasks", () => up.Cli("task", "list").Output, TimeSpan.FromSeconds(60));
        await UpInNetns.WaitAsync(() => up.Cli("dns", "_web._tcp.marathon.mesos").Output.Split('\n').Count(l => l.Contains("SRV", StringComparison.Ordinal)) == 2, "2 SRV answers from the restarted data plane", () => up.Cli("dns", "_web._tcp.marathon.mesos").Output, TimeSpan.FromSeconds(30));

        up.Signal(15);
        Assert.True(up.WaitForExit(60_000), "up stops on SIGTERM\n" + up.Output);
        Assert.Equal(0, up.Process.ExitCode);
        Assert.Empty(NetnsRunner.TrySh($"ip netns pids {up.Namespace}").Output.Trim());
        Assert.False(File.Exists(endpoints), "up removes endpoints.json when it stops");
    }

    [NetnsFact]
    public async Task Up_TenAgentsSigterm_StopsATierAtOnce()
    {
        using var up = UpInNetns.Start("mstop", "--agents", "10", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(240));
        var clock = Stopwatch.StartNew();
        up.Signal(15);
        Assert.True(up.WaitForExit(60_000), "up stops on SIGTERM\n" + up.Output);
        clock.Stop();
        Assert.Equal(0, up.Process.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"10 agents stopped in {clock.Elapsed.TotalSeconds:0.0} s\n{up.Output}");
        Assert.Empty(NetnsRunner.TrySh($"ip netns pids {up.Namespace}").Output.Trim());
        var stopped = up.Output.Split('\n').Where(l => l.TrimEnd().EndsWith("stopped", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToList();
        Assert.Equal(16, stopped.Count);
        Assert.Equal("admin-router", stopped[0]);
        Assert.Equal(["jobs", "packages"], stopped[1..3].Order(StringComparer.Ordinal)); // one tier, stopped together
        Assert.Equal("dataplane", stopped[3]);
        Assert.Equal(["scheduler", "master"], stopped[^2..]);
    }

    // Only this namespace's: other tests may run test servers too.
    private static List<string> TaskPids(UpInNetns up) =>
        NetnsRunner.TrySh($"pgrep --nslist net --ns {up.Process.Id} -f '^dotnet [^ ]*minuet.dll test-server'").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static HashSet<string> RunningTasks(UpInNetns up) =>
        up.Cli("task", "list").Output.Split('\n').Where(l => l.Contains("TASK_RUNNING", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).ToHashSet();
}
