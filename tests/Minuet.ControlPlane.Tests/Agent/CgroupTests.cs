using System.Globalization;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class CgroupTests
{
    [CgroupV1Fact]
    public async Task Launch_WithCgroupsV1_TaskRunsInItsCgroupWithSharesAndMemoryLimit()
    {
        var probe = new CgroupV1("/sys/fs/cgroup", "minuet-test");
        await using var agent = new AgentHarness(cgroups: true);
        var launch = AgentHarness.Shell("cat /proc/self/cgroup; echo started; sleep 60") with
        {
            Resources = new Protocol.ResourceSet { Cpus = 0.5, Mem = 64 },
        };
        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);
        await AgentRuntimeProcessTests.WaitForOutputAsync(agent, launch.TaskId, "started");
        var dirs = probe.For(launch.TaskId);

        string shares = File.ReadAllText(Path.Combine(dirs.CpuDir!, "cpu.shares")).Trim();
        long limit = long.Parse(File.ReadAllText(Path.Combine(dirs.MemoryDir!, "memory.limit_in_bytes")).Trim(), CultureInfo.InvariantCulture);
        string membership = agent.ReadStdout(launch.TaskId);
        agent.Runtime.Kill(launch.TaskId, 0);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.Equal("512", shares);
        Assert.Equal(64L * 1024 * 1024, limit);
        Assert.Contains($"minuet-test/{launch.TaskId}", membership, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dirs.CpuDir), "the task's cgroup is removed when it ends");
    }

    [CgroupV1Fact]
    public async Task Exit_MemoryLimitExceeded_ReportsContainerLimitationMemory()
    {
        await using var agent = new AgentHarness(cgroups: true);
        // Holds ~200 MB in a shell variable against a 32 MB limit: the kernel OOM-kills it.
        var launch = AgentHarness.Shell("x=$(head -c 200000000 /dev/zero | tr '\\0' 'a'); echo ${#x}") with
        {
            Resources = new Protocol.ResourceSet { Cpus = 0.1, Mem = 32 },
        };

        agent.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED", TimeSpan.FromSeconds(60));

        Assert.Equal(Protocol.TaskStatusReasons.ContainerLimitationMemory, failed.Reason);
    }
}
