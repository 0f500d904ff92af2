using System.Text.Json;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The jobs issue's "done when" on a real <c>minuet up</c> in a namespace: a one-minute cron job added with
/// <c>minuet job add</c> runs within the minute (its output in the agent's sandbox, history shows it), a failing job
/// is retried per its restart policy, and a Chronos-style <c>curl -d</c> to :4400 is accepted and runs.
/// </summary>
public sealed class JobsUpNetnsTests
{
    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Up_JobEveryMinuteAndChronosPost_RunWithOutputInSandboxAndFailingJobRetried()
    {
        using var up = UpInNetns.Start("mjb", "--agents", "1", "--vip-range", "198.19.0.0/16");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        Assert.Contains("jobs        http://127.0.0.1:9000", up.Output, StringComparison.Ordinal);

        string tick = Path.Combine(up.Dir, "tick.json");
        await File.WriteAllTextAsync(tick, """
            {"id":"tick","run":{"cmd":"echo tick-output-$METRONOME_JOB_ID","cpus":0.1,"mem":32,"disk":0},
             "schedules":[{"id":"every-minute","cron":"* * * * *","timezone":"Europe/Berlin"}]}
            """);
        var added = up.Cli("job", "add", tick);
        Assert.True(added.Code == 0, added.Output);
        Assert.Contains("Created job tick", added.Output, StringComparison.Ordinal);

        string fail = Path.Combine(up.Dir, "fail.json");
        await File.WriteAllTextAsync(fail, """
            {"id":"fail","run":{"cmd":"exit 3","cpus":0.1,"mem":32,"disk":0,"restart":{"policy":"ON_FAILURE","activeDeadlineSeconds":300,"maxRetries":1}}}
            """);
        Assert.Equal(0, up.Cli("job", "add", fail).Code);
        var run = up.Cli("job", "run", "fail");
        Assert.True(run.Code == 0, run.Output);

        var chronos = Sh(up, """curl -s -o /dev/null -w '%{http_code}' -X POST 127.0.0.1:4400/v1/scheduler/iso8601 -d '{"name":"x","command":"echo chronos-x","schedule":"R/2026-01-01T00:00:00Z/PT1M"}'""");
        Assert.Equal("204", chronos);

        await UpInNetns.WaitAsync(() => History(up, "tick").Success >= 1 && History(up, "x").Success >= 1 && History(up, "fail").Failure >= 1,
            "the cron job, the Chronos job and the failing job to finish", () => up.Cli("job", "list").Output, TimeSpan.FromSeconds(180));

        var sandboxes = Path.Combine(up.StateDir, "agent0", "sandboxes");
        var tickOutput = Directory.GetDirectories(sandboxes, "tick_*").Select(d => Path.Combine(d, "stdout")).Where(File.Exists).Select(File.ReadAllText);
        Assert.Contains(tickOutput, o => o.Contains("tick-output-tick", StringComparison.Ordinal));
        Assert.Contains(Directory.GetDirectories(sandboxes, "x_*").Select(d => Path.Combine(d, "stdout")).Where(File.Exists).Select(File.ReadAllText),
            o => o.Contains("chronos-x", StringComparison.Ordinal));

        // One run of "fail": its first task and one retry (maxRetries 1), then the run failed.
        Assert.Equal(2, Directory.GetDirectories(sandboxes, "fail_*").Length);
        var history = up.Cli("job", "history", "fail");
        Assert.Contains("0 succeeded, 1 failed", history.Output, StringComparison.Ordinal);
        Assert.Contains("TASK_FAILED", history.Output, StringComparison.Ordinal);

        // Reachable as DC/OS users reach Metronome.
        Assert.Contains("\"id\":\"tick\"", Sh(up, "curl -s 127.0.0.1/service/metronome/v1/jobs"), StringComparison.Ordinal);
    }

    private static (long Success, long Failure) History(UpInNetns up, string id)
    {
        var answer = up.Cli("job", "history", id, "--json");
        if (answer.Code != 0)
        {
            return (0, 0);
        }

        try
        {
            using var doc = JsonDocument.Parse(answer.Output);
            var h = doc.RootElement.GetProperty("history");
            return (h.GetProperty("successCount").GetInt64(), h.GetProperty("failureCount").GetInt64());
        }
        catch (JsonException)
        {
            return (0, 0);
        }
    }

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;
}
