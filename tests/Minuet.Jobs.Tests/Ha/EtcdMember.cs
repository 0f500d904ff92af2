using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Coordination;
using Minuet.TestSupport;

namespace Minuet.Jobs.Tests.Ha;

/// <summary>
/// One real etcd member on random 127.0.0.1 ports with its own data dir, shared by the jobs HA tests (the
/// control-plane tests' three-member cluster, cut to one: these tests need a shared store and a lease, not quorum
/// faults). Killed by pid at dispose.
/// </summary>
public sealed class EtcdMember : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("minuet-jobs-etcd-").FullName;
    private readonly int _clientPort = FreePort();
    private readonly Process? _process;

    public EtcdMember()
    {
        if (EtcdBinary.Path is null)
        {
            return;
        }

        int peer = FreePort();
        var start = new ProcessStartInfo(EtcdBinary.Path,
            $"--name j0 --data-dir {Path.Combine(_root, "j0")} " +
            $"--listen-client-urls http://127.0.0.1:{_clientPort} --advertise-client-urls http://127.0.0.1:{_clientPort} " +
            $"--listen-peer-urls http://127.0.0.1:{peer} --initial-advertise-peer-urls http://127.0.0.1:{peer} " +
            $"--initial-cluster j0=http://127.0.0.1:{peer} --initial-cluster-token minuet-jobs-{Guid.NewGuid():N} --initial-cluster-state new " +
            "--heartbeat-interval 50 --election-timeout 500 --log-level error")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitHealthy(TimeSpan.FromSeconds(60));
    }

    public IReadOnlyList<Uri> Endpoints => [new Uri($"http://127.0.0.1:{_clientPort}")];

    /// <summary>Deletes every key under <c>/minuet/</c> (each test starts from an empty store).</summary>
    public void Clear()
    {
        using var etcd = EtcdConnection.Open(Endpoints, TimeSpan.FromSeconds(10));
        var txn = new Etcdserverpb.TxnRequest();
        txn.Success.Add(EtcdKv.DeletePrefix("/minuet/"));
        etcd.Client.Transaction(txn, deadline: DateTime.UtcNow.AddSeconds(10));
    }

    public void Dispose()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // etcd's files may linger a moment after the kill.
        }
    }

    private void WaitHealthy(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (http.GetStringAsync($"http://127.0.0.1:{_clientPort}/health").GetAwaiter().GetResult().Contains("\"health\":\"true\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not up yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"etcd on 127.0.0.1:{_clientPort} not healthy within {timeout.TotalSeconds} s");
            }

            Thread.Sleep(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdMemberGroup : ICollectionFixture<EtcdMember>
{
    public const string Name = "jobs etcd";
}
