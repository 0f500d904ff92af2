using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A client namespace routed to three backend namespaces over veth pairs (198.18.N.1 client side,
/// 198.18.N.2 backend side), no route anywhere else. VIPs (198.19.0.0/16) need some route for a SYN to leave
/// at all (the DNAT re-routes it to the chosen backend); they get one via backend 1, with the client's
/// source address 198.18.250.1 (on lo) so every backend answers through its default route. Each backend runs a
/// <see cref="BackendServer"/> on port 8080. Everything is deleted on dispose.
/// </summary>
internal sealed class L4lbTopology : IDisposable
{
    public const int BackendPort = 8080;

    private readonly List<BackendServer> _servers = [];

    private L4lbTopology(string id)
    {
        Id = id;
        Client = $"ml4c-{id}";
        Backends = [.. Enumerable.Range(1, 3).Select(i => $"ml4b{i}-{id}")];
    }

    public string Id { get; }

    public string Client { get; }

    public IReadOnlyList<string> Backends { get; }

    public IReadOnlyList<BackendServer> Servers => _servers;

    public static IPAddress BackendAddress(int index) => IPAddress.Parse($"198.18.{index + 1}.2");

    /// <param name="routeVips">False leaves the client with only its /24 routes to the backends: nothing routes the VIP range.</param>
    public static L4lbTopology Create(bool routeVips = true)
    {
        var topology = new L4lbTopology(Guid.NewGuid().ToString("N")[..6]);
        try
        {
            topology.Build(routeVips);
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    private void Build(bool routeVips)
    {
        NetnsRunner.Sh($"ip netns add {Client} && ip -n {Client} link set lo up");
        for (int i = 0; i < Backends.Count; i++)
        {
            string b = Backends[i];
            int n = i + 1;
            NetnsRunner.Sh(
                $"ip netns add {b} && ip -n {b} link set lo up && " +
                $"ip link add vc{n}-{Id} netns {Client} type veth peer name vb{n}-{Id} netns {b} && " +
                $"ip -n {Client} addr add 198.18.{n}.1/24 dev vc{n}-{Id} && ip -n {Client} link set vc{n}-{Id} up && " +
                $"ip -n {b} addr add 198.18.{n}.2/24 dev vb{n}-{Id} && ip -n {b} link set vb{n}-{Id} up && " +
                $"ip -n {b} route add default via 198.18.{n}.1");
        }

        NetnsRunner.Sh($"ip -n {Client} addr add 198.18.250.1/32 dev lo");
        if (routeVips)
        {
            NetnsRunner.Sh($"ip -n {Client} route add 198.19.0.0/16 via 198.18.1.2 src 198.18.250.1");
        }

        for (int i = 0; i < Backends.Count; i++)
        {
            _servers.Add(BackendServer.Start(Backends[i], $"backend-{i + 1}", BackendAddress(i), BackendPort));
        }
    }

    /// <summary>Connects from the client namespace and returns the backend's name, or the socket error.</summary>
    public Task<(string? Name, SocketError Error, TimeSpan Elapsed)> ConnectAsync(IPEndPoint target, TimeSpan? timeout = null) =>
        ConnectFromAsync(Client, target, timeout);

    /// <summary>Connects from <paramref name="ns"/> and returns the backend's name, or the socket error.</summary>
    public static async Task<(string? Name, SocketError Error, TimeSpan Elapsed)> ConnectFromAsync(string ns, IPEndPoint target, TimeSpan? timeout = null)
    {
        using var socket = NetnsRunner.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(target, cancel.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes("name\n"), cancel.Token);
            var buffer = new byte[64];
            int read = 0;
            int n;
            while ((n = await socket.ReceiveAsync(buffer.AsMemory(read), cancel.Token)) > 0)
            {
                read += n;
            }

            return (Encoding.ASCII.GetString(buffer, 0, read).Trim(), SocketError.Success, started.Elapsed);
        }
        catch (SocketException e)
        {
            return (null, e.SocketErrorCode, started.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return (null, SocketError.TimedOut, started.Elapsed);
        }
    }

    public string InClient(string commandLine) => NetnsRunner.Sh($"ip netns exec {Client} {commandLine}");

    public void Dispose()
    {
        try
        {
            foreach (var server in _servers)
            {
                server.Dispose();
            }
        }
        finally
        {
            // Deleting the namespaces also drops their rules, sets and conntrack tables.
            foreach (var ns in Backends.Append(Client))
            {
                NetnsRunner.TrySh($"ip netns del {ns}");
            }
        }
    }
}
