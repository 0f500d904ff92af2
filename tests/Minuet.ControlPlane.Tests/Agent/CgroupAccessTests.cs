using System.Diagnostics;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// Issue: without cgroup access (an unprivileged agent, or a hierarchy an earlier root run left behind) every launch
/// failed with "cgroup setup failed: Access denied". Now tasks run without limits and the agent says so once, in its
/// log and in its state.
/// </summary>
public sealed class CgroupAccessTests : IDisposable
{
    private const int RunningUnlimitedEvent = 5115;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "minuet-cgroot-" + Guid.NewGuid().ToString("N")[..10]);
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", "-l", _root);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Launch_CgroupParentCannotBeCreated_TasksRunUnlimitedAndTheAgentSaysSoOnce()
    {
        // Controllers look mounted, but the agent cannot create its parent cgroup (a file stands in the way).
        FakeHierarchy(_root, withParent: false);
        File.WriteAllText(Path.Combine(_root, "cpu", "minuet-test"), "not a directory");
        File.WriteAllText(Path.Combine(_root, "memory", "minuet-test"), "not a directory");

        var loggers = new CapturingLoggers();
        await using var agent = new AgentHarness(cgroupRoot: _root, loggers: loggers);
        await LaunchTwoAndExpectRunningAsync(agent);

        Assert.Equal("posix/cpu,posix/mem", agent.Runtime.Isolation.Isolation);
        Assert.False(agent.Runtime.Isolation.Enforced);
        Assert.Contains(Path.Combine(_root, "cpu", "minuet-test"), agent.Runtime.Isolation.Reason, StringComparison.Ordinal);
        Assert.Single(loggers.Entries, e => e.Id.Id == RunningUnlimitedEvent);
    }

    [Fact]
    public async Task Launch_TaskCgroupCannotBeCreatedAfterStart_FallsBackToUnlimitedOnceInsteadOfFailingEachLaunch()
    {
        // Usable at start; then every task cgroup fails (access lost): the first launch switches to no limits.
        FakeHierarchy(_root);
        var loggers = new CapturingLoggers();
        await using var agent = new AgentHarness(cgroupRoot: _root, loggers: loggers);
        Assert.Equal("cgroups/cpu,cgroups/mem", agent.Runtime.Isolation.Isolation);
        File.Delete(Path.Combine(_root, "cpu", "minuet-test", "cpu.shares"));
        Directory.Delete(Path.Combine(_root, "cpu", "minuet-test"));
        File.WriteAllText(Path.Combine(_root, "cpu", "minuet-test"), "not a directory");

        await LaunchTwoAndExpectRunningAsync(agent);

        Assert.Equal("posix/cpu,posix/mem", agent.Runtime.Isolation.Isolation);
        Assert.Contains("cgroup setup failed", agent.Runtime.Isolation.Reason, StringComparison.Ordinal);
        Assert.Single(loggers.Entries, e => e.Id.Id == RunningUnlimitedEvent);
    }

    /// <summary>
    /// The newcomer's case: a cgroup hierarchy whose parent an earlier root run created, which this agent cannot
    /// write (here a read-only tmpfs; an unprivileged agent meets EACCES the same way). The old probe only looked
    /// for the parent's files, said "usable", and every launch failed.
    /// </summary>
    [RootFact]
    public async Task Launch_HierarchyLeftByAnEarlierRunIsReadOnly_TasksRunUnlimited()
    {
        Directory.CreateDirectory(_root);
        Run("mount", "-t", "tmpfs", "-o", "size=1m", "minuet-cgtest", _root);
        _mounted = true;
        FakeHierarchy(_root);
        Run("mount", "-o", "remount,ro", _root);

        var probe = new CgroupV1(_root, "minuet-test");
        Assert.False(probe.CpuAvailable);
        Assert.Contains("cannot create cgroups", probe.UnavailableReason, StringComparison.Ordinal);

        var loggers = new CapturingLoggers();
        await using var agent = new AgentHarness(cgroupRoot: _root, loggers: loggers);
        await LaunchTwoAndExpectRunningAsync(agent);
        Assert.Single(loggers.Entries, e => e.Id.Id == RunningUnlimitedEvent);
    }

    private static async Task LaunchTwoAndExpectRunningAsync(AgentHarness agent)
    {
        for (int i = 0; i < 2; i++)
        {
            var launch = AgentHarness.Shell("sleep 30") with { Resources = new Protocol.ResourceSet { Cpus = 0.1, Mem = 32 } };
            agent.Runtime.Launch(launch);
            await agent.WaitForPidAsync(launch.TaskId);
            await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");
            Assert.DoesNotContain(agent.Sink.For(launch.TaskId), u => u.State == "TASK_FAILED");
        }
    }

    /// <summary>The files a cgroup v1 cpu and memory hierarchy shows, with the agent's parent already there.</summary>
    private static void FakeHierarchy(string root, bool withParent = true)
    {
        foreach (var (controller, file) in new[] { ("cpu", "cpu.shares"), ("memory", "memory.limit_in_bytes") })
        {
            Directory.CreateDirectory(Path.Combine(root, controller));
            File.WriteAllText(Path.Combine(root, controller, file), "1024");
            if (withParent)
            {
                Directory.CreateDirectory(Path.Combine(root, controller, "minuet-test"));
                File.WriteAllText(Path.Combine(root, controller, "minuet-test", file), "1024");
            }
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()}");
    }
}
