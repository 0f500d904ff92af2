using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Coordination;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>
/// A real three-member etcd cluster on random 127.0.0.1 ports, data dirs under a temp dir, shared by the HA tests.
/// Members are killed by pid (never by name) at dispose; <see cref="Stop"/> and <see cref="Start"/> take one member
/// down and back for quorum tests. Election timeout 500 ms, so leases may be as short as 1 s.
/// </summary>
public sealed class EtcdCluster : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("minuet-etcd-").FullName;
    private readonly Member[] _members;

    public EtcdCluster()
    {
        var token = $"minuet-test-{Guid.NewGuid():N}";
        _members = Enumerable.Range(0, 3).Select(i => new Member($"m{i}", FreePort(), FreePort(), Path.Combine(_root, $"m{i}"))).ToArray();
        if (EtcdBinary.Path is null)
        {
            return;
        }

        var initial = string.Join(',', _members.Select(m => $"{m.Name}=http://127.0.0.1:{m.PeerPort}"));
        foreach (var member in _members)
        {
            member.Arguments =
                $"--name {member.Name} --data-dir {member.DataDir} " +
                $"--listen-client-urls http://127.0.0.1:{member.ClientPort} --advertise-client-urls http://127.0.0.1:{member.ClientPort} " +
                $"--listen-peer-urls http://127.0.0.1:{member.PeerPort} --initial-advertise-peer-urls http://127.0.0.1:{member.PeerPort} " +
                $"--initial-cluster {initial} --initial-cluster-token {token} --initial-cluster-state new " +
                "--heartbeat-interval 50 --election-timeout 500 --log-level error";
            Start(member);
        }

        WaitHealthy(TimeSpan.FromSeconds(30));
    }

    public IReadOnlyList<Uri> Endpoints => _members.Select(m => new Uri($"http://127.0.0.1:{m.ClientPort}")).ToList();

    internal EtcdConnection Connect(TimeSpan? timeout = null) => EtcdConnection.Open(Endpoints, timeout ?? TimeSpan.FromSeconds(2));

    /// <summary>Kills member <paramref name="index"/> (SIGKILL by pid); its data stays for <see cref="Start(int)"/>.</summary>
    public void Stop(int index)
    {
        var member = _members[index];
        if (member.Process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }

        member.Process = null;
    }

    public void Start(int index) => Start(_members[index]);

    /// <summary>Deletes every key under <c>/minuet/</c> (each test starts from an empty store).</summary>
    public void Clear()
    {
        using var etcd = Connect(TimeSpan.FromSeconds(10));
        var txn = new Etcdserverpb.TxnRequest();
        txn.Success.Add(EtcdKv.DeletePrefix("/minuet/"));
        etcd.Client.Transaction(txn, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    /// <summary>Waits until a quorum answers a linearizable read.</summary>
    public void WaitHealthy(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var m in _members.Where(m => m.Process is not null))
            {
                try
                {
                    var body = http.GetStringAsync($"http://127.0.0.1:{m.ClientPort}/health").GetAwaiter().GetResult();
                    if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not up yet.
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"etcd cluster not healthy within {timeout.TotalSeconds} s; members: {string.Join(", ", _members.Select(m => m.Arguments))}");
            }

            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        for (int i = 0; i < _members.Length; i++)
        {
            Stop(i);
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A member's files may linger a moment after its kill; the temp dir is cleaned by the OS eventually.
        }
    }

    private static void Start(Member member)
    {
        if (member.Process is { HasExited: false })
        {
            return;
        }

        var start = new ProcessStartInfo(EtcdBinary.Path!, member.Arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        member.Process = process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Member(string name, int clientPort, int peerPort, string dataDir)
    {
        public string Name { get; } = name;

        public int ClientPort { get; } = clientPort;

        public int PeerPort { get; } = peerPort;

        public string DataDir { get; } = dataDir;

        public string Arguments { get; set; } = "";

        public Process? Process { get; set; }
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdClusterGroup : ICollectionFixture<EtcdCluster>
{
    public const string Name = "etcd cluster";
}
