using Minuet.Cli.Cluster;
using Minuet.ControlPlane.Agent.Network;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.Docker;

/// <summary>The dockerd <c>minuet up</c> starts: its own state under the state dir, addresses in 198.18.0.0/15, stopped cleanly.</summary>
public sealed class UpDockerdTests
{
    [Fact]
    public void DockerdMember_Arguments_OwnRootsSocketAndAddressesIn198_18()
    {
        var options = new UpOptions { StateDir = "/srv/minuet" };
        var member = DockerSetup.DockerdMember(options, "/usr/sbin/dockerd");
        Assert.Equal("/usr/sbin/dockerd", member.Program);
        Assert.Equal(
            ["--data-root", "/srv/minuet/docker/data", "--exec-root", "/srv/minuet/docker/run", "--pidfile", "/srv/minuet/docker/docker.pid",
             "--host", "unix:///srv/minuet/docker/docker.sock", "--bip", "198.18.240.1/24", "--default-address-pool", "base=198.18.224.0/20,size=24"],
            member.Arguments);
        Assert.Equal("unix", member.ReadyUrl.Scheme);

        // It stops after everything else (lowest tier) and gets time to stop its containers.
        Assert.True(ClusterPlan.Build(options).All(m => m.Tier > member.Tier));
        Assert.True(member.StopGrace > TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void AgentArguments_CarryTheChosenSocketAndPrivilegeOnlyWithDocker()
    {
        var none = new UpOptions { StateDir = "/s" };
        Assert.DoesNotContain(ClusterPlan.Build(none), m => m.Arguments.Contains("--docker-socket"));
        Assert.DoesNotContain(ClusterPlan.Build(none with { AllowPrivileged = true }).Single(m => m.Name == "agent0").Arguments, a => a == "--docker-allow-privileged");

        var docker = ClusterPlan.Build(none with { DockerSocket = "/s/docker/docker.sock", AllowPrivileged = true, Agents = 2 });
        foreach (var agent in docker.Where(m => m.Name.StartsWith("agent", StringComparison.Ordinal)))
        {
            int at = agent.Arguments.ToList().IndexOf("--docker-socket");
            Assert.True(at > 0);
            Assert.Equal("/s/docker/docker.sock", agent.Arguments[at + 1]);
            Assert.Contains("--docker-allow-privileged", agent.Arguments);
        }

        Assert.Contains("--allow-privileged", docker.Single(m => m.Name == "scheduler").Arguments);
    }

    [DockerdFact]
    public async Task DockerdMember_StartedAsUpStartsIt_AnswersOn198_18AndStopsLeavingNothing()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = "mdk-up-" + id;
        string dir = Path.Combine("/tmp", "mdu-" + id);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        ChildProcess? child = null;
        try
        {
            var options = new UpOptions { StateDir = dir };
            var member = DockerSetup.DockerdMember(options, ToolRunner.Find("dockerd")!);

            // As up runs it, but entered into the test's namespace (up itself would be running inside it).
            member = member with { Program = "nsenter", Arguments = [$"--net=/var/run/netns/{ns}", member.Program!, .. member.Arguments] };
            Directory.CreateDirectory(DockerSetup.Directory(options));
            child = ChildProcess.Start(member, Path.Combine(dir, "logs"), setsid: null);
            Assert.Null(await ReadyProbe.WaitAsync(child, CancellationToken.None));

            Assert.Contains("inet 198.18.240.1/24", NetnsRunner.Sh($"ip -n {ns} -4 addr show docker0"), StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "docker", "docker.pid")));
            Assert.True(Directory.Exists(Path.Combine(dir, "docker", "data")));

            Assert.True(await child.StopAsync(DockerSetup.StopGrace), "dockerd stops on SIGTERM");
            Assert.Empty(NetnsRunner.TrySh($"ip netns pids {ns}").Output.Trim());
            Assert.False(File.Exists(Path.Combine(dir, "docker", "docker.pid")), "dockerd removes its pid file");
        }
        finally
        {
            child?.Dispose();
            NetnsRunner.TrySh($"for p in $(ip netns pids {ns}); do kill -9 $p; done; ip netns del {ns}");
            NetnsRunner.TrySh($"umount -R {dir}/docker/data 2>/dev/null; umount -R {dir}/docker/run 2>/dev/null; rm -rf {dir}");
        }
    }
}
