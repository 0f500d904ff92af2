using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.Native.Iptables;
using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Netlink.Ipset;
using Minuet.Native.Netlink.Nfqueue;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.EndToEnd;

/// <summary>
/// The whole Minuteman path with only this project's clients: a client namespace and a backend namespace joined by a
/// veth pair (198.18.0.1 / 198.18.0.2, no default route). The VIP 198.19.0.10:80 is in an ipset; raw OUTPUT queues its
/// SYNs to NFQUEUE 50; our reader creates the DNAT entry to 198.18.0.2:8080 and accepts; the client's connection to
/// the VIP reaches the backend.
/// </summary>
public class MinutemanPathNetnsTests
{
    private const uint Vip = 0xc613000a;      // 198.19.0.10
    private const uint Client = 0xc6120001;   // 198.18.0.1
    private const uint Backend = 0xc6120002;  // 198.18.0.2
    private const ushort Queue = 50;

    // Verified here (kernel 6.18, iptables-nft 1.8.9): both the conntrack match and the declared nat table are
    // needed. Without the nat table the SYN is queued and the entry created, but no NAT hook runs and the SYN goes
    // to the VIP un-translated (EHOSTUNREACH after ARP fails); with only the nat table the same happens.
    private static string Rules(string set) => $"""
        *raw
        -A OUTPUT -p tcp -m set --match-set {set} dst,dst --syn -j NFQUEUE --queue-num {Queue}
        COMMIT
        *filter
        -A OUTPUT -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
        COMMIT
        *nat
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        COMMIT
        """;

    [NetnsFact]
    public async Task ConnectToVip_SynQueuedAndNated_ReachesBackend()
    {
        using var client = NetnsScope.Create();
        using var backend = NetnsScope.Create();
        var veth = $"mv{Guid.NewGuid().ToString("N")[..8]}";
        Shell.Run("ip", $"link add {veth}c netns {client.Name} type veth peer name {veth}b netns {backend.Name}");
        client.Exec($"ip addr add 198.18.0.1/24 dev {veth}c");
        client.Exec($"ip link set {veth}c up");
        backend.Exec($"ip addr add 198.18.0.2/24 dev {veth}b");
        backend.Exec($"ip link set {veth}b up");

        // The VIP needs a route for the first routing decision (it is not on any link); the kernel re-routes
        // after DNAT. Only the VIP range, via the veth: still no default route.
        client.Exec($"ip route add 198.19.0.0/16 dev {veth}c");

        const string Set = "mt-e2e";
        var setup = client.Run(() =>
        {
            IpsetClient.TryOpen(out var ipset);
            using (ipset)
            {
                var created = ipset!.CreateHashIpPort(Set);
                return created.IsSuccess ? ipset.Add(Set, new IpsetEntry(Vip, 80)) : created;
            }
        });
        Assert.True(setup.IsSuccess, setup.ToString());
        var applied = await new IptablesRestore(client.Name).ApplyAsync(Rules(Set));
        Assert.True(applied.IsSuccess, applied.ToString());

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var backendTask = RunBackendAsync(backend, stop.Token);
        var worker = StartQueueWorker(client, stop.Token);

        string reply;
        try
        {
            reply = client.Run(() =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.ReceiveTimeout = 5000;
                socket.SendTimeout = 5000;
                var connect = socket.BeginConnect(new IPEndPoint(Ipv4.ToAddress(Vip), 80), null, null);
                if (!connect.AsyncWaitHandle.WaitOne(5000))
                {
                    throw new TimeoutException("connect to the VIP did not complete in 5 s");
                }

                socket.EndConnect(connect);
                socket.Send("hello\n"u8);
                var buffer = new byte[256];
                int read = socket.Receive(buffer);
                return Encoding.ASCII.GetString(buffer, 0, read);
            });
        }
        finally
        {
            await stop.CancelAsync();
        }

        var seen = await worker;
        var backendSaw = await backendTask;

        Assert.Equal("backend 198.18.0.2:8080 got hello", reply.Trim());
        Assert.Equal(Client, seen.Flow.SourceAddress);
        Assert.Equal(Vip, seen.Flow.DestinationAddress);
        Assert.True(seen.Flow.IsInitialSyn);
        Assert.True(seen.Created.IsSuccess, seen.Created.ToString());
        Assert.True(seen.Verdict.IsSuccess, seen.Verdict.ToString());
        Assert.Equal("198.18.0.1", backendSaw);
        var conntrack = client.Exec("conntrack -L -p tcp --orig-dst 198.19.0.10");
        Assert.Contains("src=198.18.0.2 dst=198.18.0.1 sport=8080", conntrack, StringComparison.Ordinal);
    }

    /// <summary>A one-connection TCP server in the backend namespace; returns the peer address it saw.</summary>
    private static Task<string> RunBackendAsync(NetnsScope backend, CancellationToken stop)
    {
        var ready = new ManualResetEventSlim();
        var task = Task.Factory.StartNew(
            () => backend.Run(() =>
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(Ipv4.ToAddress(Backend), 8080));
                listener.Listen(4);
                ready.Set();
                while (!stop.IsCancellationRequested)
                {
                    if (!listener.Poll(100_000, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    using var connection = listener.Accept();
                    connection.ReceiveTimeout = 5000;
                    var buffer = new byte[64];
                    int read = connection.Receive(buffer);
                    var text = Encoding.ASCII.GetString(buffer, 0, read).Trim();
                    connection.Send(Encoding.ASCII.GetBytes($"backend 198.18.0.2:8080 got {text}\n"));
                    return ((IPEndPoint)connection.RemoteEndPoint!).Address.ToString();
                }

                return "no connection";
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(ready.Wait(10_000, CancellationToken.None), "backend listener did not start");
        return task;
    }

    private sealed record Seen(PacketFlow Flow, NativeResult Created, NativeResult Verdict);

    /// <summary>The balancer's job in miniature: first SYN → DNAT entry to the backend → ACCEPT.</summary>
    private static Task<Seen> StartQueueWorker(NetnsScope client, CancellationToken stop)
    {
        var ready = new ManualResetEventSlim();
        var task = Task.Factory.StartNew(
            () => client.Run(() =>
            {
                var opened = NfqueueClient.TryOpen(Queue, new NfqueueOptions { CopyRange = 128 }, out var queue);
                ConntrackClient.TryOpen(out var conntrack);
                ready.Set();
                Assert.True(opened.IsSuccess, opened.ToString());
                using (queue)
                using (conntrack)
                {
                    var handler = new SynHandler { Queue = queue!, Conntrack = conntrack! };
                    while (!stop.IsCancellationRequested && handler.Result is null)
                    {
                        queue!.Receive(100, ref handler);
                    }

                    return handler.Result ?? throw new TimeoutException("no SYN was queued");
                }
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(ready.Wait(10_000, CancellationToken.None), "queue worker did not start");
        return task;
    }

    private struct SynHandler : INfqueuePacketHandler
    {
        public NfqueueClient Queue;
        public ConntrackClient Conntrack;
        public Seen? Result;

        public void OnPacket(in NfqueuePacket packet)
        {
            if (PacketHeaders.TryParseIpv4(packet.Payload, out var flow) != PacketParseError.None)
            {
                Queue.SetVerdict(packet.PacketId, NfqueueVerdict.Accept);
                return;
            }

            var created = Conntrack.CreateReplacingStale(ConntrackNatEntry.Dnat(flow.ToTuple(), Backend, 8080, timeoutSeconds: 120));
            var verdict = Queue.SetVerdict(packet.PacketId, NfqueueVerdict.Accept);
            Result ??= new Seen(flow, created, verdict);
        }
    }
}
