using System.Globalization;
using System.Text.RegularExpressions;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// A running <c>minuet up --masters 3</c> in its own namespace, and what its fault tests ask of it: each part's pid
/// from the banner (<c>etcd0</c>, <c>master1</c>, <c>marathon2</c> ...), who leads (<c>/master/redirect</c>,
/// <c>/v2/leader</c>), what DNS says, the running tasks.
/// </summary>
internal sealed partial class HaUp : IDisposable
{
    private HaUp(UpInNetns up) => Up = up;

    public UpInNetns Up { get; }

    /// <summary>Masters' <c>ip:port</c> in banner order (master0, master1, master2).</summary>
    public IReadOnlyList<string> Masters => Listed("master");

    /// <summary>Schedulers' <c>ip:port</c> in banner order.</summary>
    public IReadOnlyList<string> Marathons => Listed("marathon");

    public static async Task<HaUp> StartAsync(string prefix, params string[] extra)
    {
        var up = UpInNetns.Start(prefix, ["--masters", "3", "--no-docker", "--vip-range", "198.19.0.0/16", .. extra]);
        var ha = new HaUp(up);
        try
        {
            await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(180));
        }
        catch
        {
            ha.Dispose();
            throw;
        }

        return ha;
    }

    /// <summary>Each part's pid by its banner name.</summary>
    public Dictionary<string, int> Pids()
    {
        var pids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in BannerLine().Matches(Up.Output))
        {
            pids[m.Groups[1].Value] = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return pids;
    }

    /// <summary>The leading master's <c>ip:port</c> as <paramref name="asked"/> redirects to it, or null (503, no answer).</summary>
    public string? LeaderAccordingTo(string asked)
    {
        var (code, output) = Sh($"curl -s -o /dev/null -m 2 -w '%{{http_code}} %{{redirect_url}}' http://{asked}/master/redirect");
        var m = Regex.Match(output, @"^30[127] https?://([^/ ]+)");
        return code == 0 && m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>A leader every surviving master agrees on (and that names itself), or null.</summary>
    public string? AgreedLeader(IEnumerable<string> masters)
    {
        var answers = masters.Select(LeaderAccordingTo).ToList();
        return answers.Count > 0 && answers.All(a => a is not null && a == answers[0]) && LeaderAccordingTo(answers[0]!) == answers[0] ? answers[0] : null;
    }

    /// <summary>Whether the process answering at <paramref name="master"/> says it leads (its <c>X-Minuet-Role</c> header).</summary>
    public bool Leads(string master)
    {
        var (code, output) = Sh($"curl -s -o /dev/null -m 2 -D - http://{master}/master/redirect");
        return code == 0 && Regex.IsMatch(output, @"(?im)^X-Minuet-Role:\s*leader\s*$");
    }

    /// <summary>The leading scheduler named by <c>/v2/leader</c> on <paramref name="marathon"/>.</summary>
    public string? MarathonLeaderAccordingTo(string marathon)
    {
        var (code, output) = Sh($"curl -s -m 2 http://{marathon}/v2/leader");
        var m = Regex.Match(output, "\"leader\"\\s*:\\s*\"([^\"]+)\"");
        return code == 0 && m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>The port <c>_leader._tcp.mesos</c> names (all masters share 127.0.0.1; the port tells them apart).</summary>
    public int? LeaderSrvPort()
    {
        var (code, output) = Sh($"dig +short +time=1 +tries=1 @{Dns} -p {DnsPort} _leader._tcp.mesos SRV");
        var m = Regex.Match(output, @"^\d+ \d+ (\d+) ", RegexOptions.Multiline);
        return code == 0 && m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>A-record answers for <paramref name="name"/> from the cluster's DNS.</summary>
    public string DigA(string name) => Sh($"dig +short +time=1 +tries=1 @{Dns} -p {DnsPort} {name} A").Output.Trim();

    /// <summary>Running task ids from <c>minuet task list</c> (through the scheduler endpoints.json names).</summary>
    public IReadOnlyList<string> RunningTaskIds() =>
        [.. Up.Cli("task", "list").Output.Split('\n').Where(l => l.Contains("TASK_RUNNING", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0]).Order(StringComparer.Ordinal)];

    /// <summary>Posts an app of <paramref name="instances"/> sleepers through the CLI; asserts it was created.</summary>
    public void AddSleepers(string id, int instances)
    {
        string app = Path.Combine(Up.Dir, id + ".json");
        File.WriteAllText(app, $$"""{"id":"/{{id}}","cmd":"sleep 3600","instances":{{instances}},"cpus":0.05,"mem":16}""");
        var added = Up.Cli("app", "add", app);
        // A retry after an answer lost in a leader change may find the app stored by the first try.
        Assert.True(added.Code == 0 || added.Output.Contains("already exists", StringComparison.Ordinal), added.Output);
    }

    /// <summary>
    /// As <see cref="AddSleepers"/>, but a 503 (the store cannot write yet, or no scheduler leads yet: etcd or the
    /// schedulers electing after a member stopped or came back) is tried again until <paramref name="within"/> has
    /// passed; any other failure fails at once.
    /// </summary>
    public async Task AddSleepersOnceStoreWritesAsync(string id, int instances, TimeSpan within)
    {
        string app = Path.Combine(Up.Dir, id + ".json");
        File.WriteAllText(app, $$"""{"id":"/{{id}}","cmd":"sleep 3600","instances":{{instances}},"cpus":0.05,"mem":16}""");
        var deadline = DateTime.UtcNow + within;
        var added = Up.Cli("app", "add", app);
        while (added.Code != 0 && added.Output.Contains("HTTP 503", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            added = Up.Cli("app", "add", app);
        }

        // A retry after an answer lost in a leader change may find the app stored by the first try.
        Assert.True(added.Code == 0 || added.Output.Contains("already exists", StringComparison.Ordinal), added.Output);
    }

    public (int Code, string Output) Sh(string command) => NetnsRunner.TrySh($"ip netns exec {Up.Namespace} {command}");

    public void Dispose() => Up.Dispose();

    private static string Dns => "127.0.0.1";

    private static int DnsPort => 53;

    private IReadOnlyList<string> Listed(string word) =>
        [.. Regex.Matches(Up.Output, $@"(?m)^  {word}\d+\s+http://(\S+)\s").Select(m => m.Groups[1].Value).Distinct()];

    [GeneratedRegex(@"(?m)^  ((?:etcd|master|marathon|agent|dns)\S*)\s.*\[pid (\d+)\]")]
    private static partial Regex BannerLine();
}
