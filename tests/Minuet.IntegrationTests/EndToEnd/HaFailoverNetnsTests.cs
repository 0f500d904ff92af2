using Minuet.ControlPlane.Agent.Processes;
using Minuet.TestSupport;

// Signal numbers on Linux: SIGSTOP 19, SIGCONT 18.

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The issue's fault tests on a real <c>minuet up --masters 3</c> (three etcd members, three masters, three
/// schedulers) in a namespace of its own. They need ha-core's etcd store and elections (<c>--store etcd</c>).
/// The lease TTL is 5 s. How fast a fail-over is belongs to <c>run-bench.sh failover</c>: these waits are generous
/// so a loaded CI machine proves what happens, not how quickly.
/// </summary>
[Trait("Needs", "ha-core")]
public sealed class HaFailoverNetnsTests
{
    private static readonly TimeSpan TwoTtls = TimeSpan.FromSeconds(10);

    /// <summary>What a wait for a fail-over allows on a loaded machine (the expected time is about <see cref="TwoTtls"/>).</summary>
    private static readonly TimeSpan FailOver = TimeSpan.FromSeconds(60);

    [NetnsFact]
    public async Task UpThreeMasters_KillNineTheLeadingMaster_NewLeaderNoTaskLostOrDuplicatedLeaderMesosFollowsAndANewAppRuns()
    {
        using var ha = await HaUp.StartAsync("mha", "--agents", "2");
        Assert.Equal(3, ha.Masters.Count);
        foreach (string app in new[] { "a", "b", "c" })
        {
            ha.AddSleepers(app, 3);
        }

        await WaitAsync(() => ha.RunningTaskIds().Count == 9, "9 running tasks", ha, TimeSpan.FromSeconds(90));
        var before = ha.RunningTaskIds();
        string leader = await LeaderAsync(ha, ha.Masters);
        await WaitAsync(() => ha.LeaderSrvPort() == Port(leader), "_leader._tcp.mesos naming the leader", ha, TimeSpan.FromSeconds(10));

        int leaderPid = ha.Pids()["master" + ha.Masters.ToList().IndexOf(leader)];
        Assert.Equal(0, AgentInterop.Kill(leaderPid, AgentInterop.SIGKILL));
        var survivors = ha.Masters.Where(m => m != leader).ToList();
        string? next = null;

        // up restarts the killed master at once, so the new leader may be that new process at the old address: the
        // killed one cannot answer, so whoever says it leads (and the survivors redirect to) is a new term's leader.
        await WaitAsync(() => (next = ha.AgreedLeader(survivors)) is not null && ha.Leads(next), "a new leader the survivors agree on", ha, FailOver);

        // leader.mesos (its SRV port: every master is on 127.0.0.1) follows the election.
        await WaitAsync(() => ha.LeaderSrvPort() == Port(next!), "_leader._tcp.mesos naming the new leader", ha, TimeSpan.FromSeconds(30));

        // The same nine tasks, none lost, none doubled, once the agents re-registered with the new leader.
        await Task.Delay(TimeSpan.FromSeconds(5)); // a lost task or a duplicate would show up within this
        Assert.Equal(before, ha.RunningTaskIds());

        ha.AddSleepers("after", 1);
        await WaitAsync(() => ha.RunningTaskIds().Count == 10, "the app posted after the failover to run", ha, TimeSpan.FromSeconds(30));
        Assert.Equal(before, ha.RunningTaskIds().Where(id => !id.StartsWith("after.", StringComparison.Ordinal)));
    }

    [NetnsFact]
    public async Task UpThreeMasters_KillNineTheLeadingScheduler_AStandbyLeadsAndAKilledTaskIsReplaced()
    {
        using var ha = await HaUp.StartAsync("mhs");
        ha.AddSleepers("web", 2);
        await WaitAsync(() => ha.RunningTaskIds().Count == 2, "2 running tasks", ha, TimeSpan.FromSeconds(90));
        string? leader = null;
        await WaitAsync(() => (leader = ha.MarathonLeaderAccordingTo(ha.Marathons[0])) is not null, "/v2/leader", ha, TimeSpan.FromSeconds(10));
        int index = ha.Marathons.ToList().IndexOf(leader!);
        Assert.True(index >= 0, $"/v2/leader names {leader}, not one of {string.Join(", ", ha.Marathons)}");

        Assert.Equal(0, AgentInterop.Kill(ha.Pids()["marathon" + index], AgentInterop.SIGKILL));
        var survivors = ha.Marathons.Where(m => m != leader).ToList();
        string? next = null;
        // up restarts the killed scheduler at once, so the new leader may be that new process at the old address: the
        // killed one cannot answer, so the one both survivors and it name is a new term's leader.
        await WaitAsync(() => (next = ha.MarathonLeaderAccordingTo(survivors[0])) is not null && ha.MarathonLeaderAccordingTo(survivors[1]) == next && ha.MarathonLeaderAccordingTo(next) == next,
            "a scheduler to lead again", ha, FailOver);

        // Kill one task through the new leader's API (as Marathon's DELETE /v2/apps/{id}/tasks/{taskId}): it is replaced.
        // The new leader lists the tasks once it has recovered them (the list is empty while it takes over).
        IReadOnlyList<string> tasks = [];
        await WaitAsync(() => (tasks = ha.RunningTaskIds()).Count == 2, "the new leader to list the 2 tasks", ha, TimeSpan.FromSeconds(30));
        var (code, output) = ha.Sh($"curl -s -m 5 -X DELETE http://{next}/v2/apps/web/tasks/{tasks[0]}");
        Assert.True(code == 0, output);
        await WaitAsync(() => ha.RunningTaskIds() is { Count: 2 } now && !now.Contains(tasks[0]) && now.Contains(tasks[1]), "the killed task replaced", ha, TimeSpan.FromSeconds(30));
    }

    [NetnsFact]
    public async Task UpThreeMasters_StopOneThenTwoEtcdMembers_OneLostKeepsWorkingTwoLostStopsMastersDnsKeepsServingAndAllResumes()
    {
        using var ha = await HaUp.StartAsync("mhe");
        ha.AddSleepers("web", 1);
        await WaitAsync(() => ha.RunningTaskIds().Count == 1, "1 running task", ha, TimeSpan.FromSeconds(90));
        await WaitAsync(() => ha.DigA("web.marathon.mesos").Length > 0, "web.marathon.mesos", ha, TimeSpan.FromSeconds(10));
        var pids = ha.Pids();

        // One member stopped (SIGSTOP: the supervisor sees no exit, so it stays stopped): two of three still agree.
        Assert.Equal(0, AgentInterop.Kill(pids["etcd2"], 19));
        try
        {
            await ha.AddSleepersOnceStoreWritesAsync("one-lost", 1, FailOver);
            await WaitAsync(() => ha.RunningTaskIds().Count == 2, "an app posted with one etcd member down to run", ha, FailOver);

            // Two stopped: no quorum. Masters stop acting (no leader anywhere, no split brain); DNS keeps the last snapshot.
            Assert.Equal(0, AgentInterop.Kill(pids["etcd1"], 19));
            await WaitAsync(() => ha.Masters.All(m => ha.LeaderAccordingTo(m) is null), "every master to stop leading", ha, FailOver);
            Assert.NotEmpty(ha.DigA("web.marathon.mesos"));
            Assert.NotEmpty(ha.DigA("one-lost.marathon.mesos"));
        }
        finally
        {
            _ = AgentInterop.Kill(pids["etcd1"], 18);
            _ = AgentInterop.Kill(pids["etcd2"], 18);
        }

        // Members back: a leader again, and new work is scheduled.
        await WaitAsync(() => ha.AgreedLeader(ha.Masters) is not null, "a leader once etcd has its quorum back", ha, FailOver);
        await ha.AddSleepersOnceStoreWritesAsync("resumed", 1, FailOver);
        await WaitAsync(() => ha.RunningTaskIds().Count == 3, "an app posted after the quorum returned to run", ha, FailOver);
    }

    private static async Task<string> LeaderAsync(HaUp ha, IReadOnlyList<string> masters)
    {
        string? leader = null;
        await WaitAsync(() => (leader = ha.AgreedLeader(masters)) is not null, "the masters to agree on a leader", ha, TimeSpan.FromSeconds(30));
        return leader!;
    }

    private static int Port(string hostPort) => int.Parse(hostPort[(hostPort.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static Task WaitAsync(Func<bool> condition, string what, HaUp ha, TimeSpan timeout) =>
        UpInNetns.WaitAsync(condition, what, () => ha.Up.Output, timeout);
}
