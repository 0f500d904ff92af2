using System.Text.Json;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// A cluster in network namespaces this test creates: a bridge namespace, a master host (master + scheduler,
/// 198.18.0.1), three agent hosts (agent + data plane with the L4 balancer, 198.18.0.11-13) and a client
/// (198.18.0.100), on 198.18.0.0/24 with no default route; VIPs come from 198.19.0.0/16, routed onto the bridge
/// link so connections reach the balancer's hooks. Disposal stops every process it started, kills whatever still
/// runs in its namespaces (the tasks), and deletes them.
/// </summary>
internal sealed class E2eCluster : IDisposable
{
    public const string MasterIp = "198.18.0.1";
    public const string ClientIp = "198.18.0.100";
    public const string VipRange = "198.19.0.0/16";

    private readonly List<NetnsProcess> _processes = [];
    private readonly string _root;

    private E2eCluster(string id)
    {
        Id = id;
        Bridge = "e2b-" + id;
        Master = "e2m-" + id;
        Client = "e2c-" + id;
        Agents = [.. Enumerable.Range(1, 3).Select(i => $"e2a{i}-{id}")];
        _root = Path.Combine(Path.GetTempPath(), "minuet-e2e-" + id);
    }

    public string Id { get; }

    public string Bridge { get; }

    public string Master { get; }

    public string Client { get; }

    public IReadOnlyList<string> Agents { get; }

    public NetnsProcess? MasterProcess { get; private set; }

    public NetnsProcess?[] AgentProcesses { get; } = new NetnsProcess?[3];

    public NetnsProcess?[] DataPlanes { get; } = new NetnsProcess?[3];

    public static string AgentIp(int index) => $"198.18.0.{11 + index}";

    public static string MarathonUrl => $"http://{MasterIp}:8080";

    public static E2eCluster Create()
    {
        var cluster = new E2eCluster(Guid.NewGuid().ToString("N")[..5]);
        try
        {
            cluster.BuildNetwork();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private void BuildNetwork()
    {
        NetnsRunner.Sh($"ip netns add {Bridge} && ip -n {Bridge} link set lo up && ip -n {Bridge} link add br0 type bridge && ip -n {Bridge} link set br0 up");
        Attach(Master, MasterIp, 0);
        for (int i = 0; i < Agents.Count; i++)
        {
            Attach(Agents[i], AgentIp(i), i + 1);
            NetnsRunner.Sh($"ip -n {Agents[i]} route add {VipRange} dev n{i + 1}-{Id}");
        }

        Attach(Client, ClientIp, 9);
        Directory.CreateDirectory(_root);
    }

    private void Attach(string ns, string ip, int n)
    {
        NetnsRunner.Sh(
            $"ip netns add {ns} && ip -n {ns} link set lo up && " +
            $"ip link add n{n}-{Id} netns {ns} type veth peer name p{n} netns {Bridge} && " +
            $"ip -n {Bridge} link set p{n} master br0 && ip -n {Bridge} link set p{n} up && " +
            $"ip -n {ns} addr add {ip}/24 dev n{n}-{Id} && ip -n {ns} link set n{n}-{Id} up");
    }

    public NetnsProcess StartMaster()
    {
        MasterProcess = Track(NetnsProcess.Start("master", Master, "master", "--listen", $"{MasterIp}:5050", "--state-dir", Path.Combine(_root, "master"),
            "--agent-ping-timeout", "1s", "--max-agent-ping-timeouts", "3", "--allocation-interval", "200ms", "--hostname", MasterIp));
        return MasterProcess;
    }

    public NetnsProcess StartScheduler() =>
        Track(NetnsProcess.Start("scheduler", Master, "scheduler", "--master", $"http://{MasterIp}:5050", "--marathon-listen", $"{MasterIp}:8080",
            "--state-dir", Path.Combine(_root, "scheduler"), "--hostname", MasterIp));

    public void StartAgent(int index)
    {
        string ip = AgentIp(index);
        AgentProcesses[index] = Track(NetnsProcess.Start($"agent{index}", Agents[index], "agent", "--master", $"http://{MasterIp}:5050",
            "--listen", $"{ip}:5051", "--advertise-ip", ip, "--hostname", ip, "--work-dir", Path.Combine(_root, "agent" + index),
            "--resources", "cpus:2;mem:2048;disk:1000;ports:[31000-31099]", "--no-cgroups", "--default-kill-grace", "1s",
            "--attributes", "rack:r" + index));
        DataPlanes[index] = Track(NetnsProcess.Start($"dataplane{index}", Agents[index], "dataplane", "--master-url", $"http://{MasterIp}:5050",
            "--dns-listen", $"{ip}:53", "--http-listen", "127.0.0.1:61421", "--no-forward", "--l4lb", "on", "--vip-range", VipRange,
            "--queue-balance", "50"));
    }

    private NetnsProcess Track(NetnsProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>Runs a shell command inside a namespace; returns exit code and output.</summary>
    public static (int Code, string Output) In(string ns, string commandLine) => NetnsRunner.TrySh($"ip netns exec {ns} {commandLine}");

    /// <summary>curl from the client namespace to Marathon; returns (HTTP status, body).</summary>
    public (int Status, string Body) Marathon(string method, string path, string? bodyFile = null, string? body = null)
    {
        string data = bodyFile is not null ? $"--data-binary @{bodyFile}" : body is not null ? $"--data-binary '{body}'" : string.Empty;
        var (_, output) = In(Client, $"curl -s --max-time 10 -X {method} -H 'Content-Type: application/json' {data} -w '\\n%{{http_code}}' '{MarathonUrl}{path}'");
        int split = output.LastIndexOf('\n');
        return split < 0 || !int.TryParse(output[(split + 1)..].Trim(), out int status) ? (0, output) : (status, output[..split]);
    }

    /// <summary>Runs <paramref name="check"/> every 200 ms until it returns true; fails with <paramref name="what"/> and the logs.</summary>
    public async Task WaitAsync(Func<bool> check, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!check())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}\n{Logs()}");
            }

            await Task.Delay(200);
        }
    }

    public string Logs()
    {
        lock (_processes)
        {
            return string.Join("\n", _processes.Select(p => $"---- {p.Name} (pid {p.Pid}{(p.HasExited ? ", exited" : string.Empty)})\n{Tail(p.Output, 25)}"));
        }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Marathon's running tasks of an app: (id, host, port, healthy).</summary>
    public IReadOnlyList<(string Id, string Host, int Port, bool Healthy)> Tasks(string appId)
    {
        var (status, body) = Marathon("GET", $"/v2/apps{appId}/tasks");
        if (status != 200)
        {
            return [];
        }

        using var doc = JsonDocument.Parse(body);
        var result = new List<(string, string, int, bool)>();
        foreach (var task in doc.RootElement.GetProperty("tasks").EnumerateArray())
        {
            if (task.TryGetProperty("state", out var state) && state.GetString() != "TASK_RUNNING")
            {
                continue;
            }

            bool healthy = task.TryGetProperty("healthCheckResults", out var checks) && checks.ValueKind == JsonValueKind.Array
                && checks.GetArrayLength() > 0 && checks.EnumerateArray().All(c => c.GetProperty("alive").GetBoolean());
            result.Add((task.GetProperty("id").GetString()!, task.GetProperty("host").GetString()!, task.GetProperty("ports")[0].GetInt32(), healthy));
        }

        return result;
    }

    public void Dispose()
    {
        List<NetnsProcess> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        foreach (var process in Enumerable.Reverse(processes))
        {
            // Data planes first and with SIGTERM: their clean exit removes rules (the namespace goes anyway).
            process.Stop(TimeSpan.FromSeconds(5));
            process.Dispose();
        }

        foreach (var ns in Agents.Append(Master).Append(Client).Append(Bridge))
        {
            // What still runs in a namespace this test made is a task it launched: kill it by pid, then the namespace.
            NetnsRunner.TrySh($"for p in $(ip netns pids {ns} 2>/dev/null); do kill -9 $p; done; ip netns del {ns}");
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
