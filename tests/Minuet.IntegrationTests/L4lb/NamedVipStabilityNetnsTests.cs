using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A named VIP in use keeps its address, and keeps reaching its backend, when a newly deployed name whose hash
/// collides with it appears (the newcomer sorts first by name, which used to win it the address).
/// </summary>
public sealed class NamedVipStabilityNetnsTests
{
    private static readonly VipRange Range = VipRange.Parse("198.19.0.0/16");

    [NetnsFact]
    public async Task Apply_CollidingNameAppears_LiveNamedVipKeepsAddressAndBackend()
    {
        var (incumbent, newcomer) = CollidingLabels();
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        var old = Aged(Task("old-1", 0, $"/{incumbent}:80"), 100);

        var before = await balancer.ApplyAsync(State(old), CancellationToken.None);
        var address = new IPEndPoint(Single(before, incumbent), 80);
        Assert.Equal(("backend-1", SocketError.Success), Named(await topology.ConnectAsync(address)));

        var after = await balancer.ApplyAsync(State(Aged(Task("new-1", 1, $"/{newcomer}:80"), 200), old), CancellationToken.None);

        Assert.Equal(address.Address, Single(after, incumbent));
        Assert.NotEqual(address.Address, Single(after, newcomer));
        Assert.Equal(("backend-1", SocketError.Success), Named(await topology.ConnectAsync(address)));
        Assert.Equal(("backend-2", SocketError.Success), Named(await topology.ConnectAsync(new IPEndPoint(Single(after, newcomer), 80))));
    }

    /// <summary>Two labels whose named VIPs (<c>label.marathon</c>) hash to one slot; the newcomer sorts first.</summary>
    private static (string Incumbent, string Newcomer) CollidingLabels()
    {
        var allocator = new NamedVipAllocator(Range);
        var seen = new Dictionary<long, string>();
        for (int i = 0; ; i++)
        {
            string label = $"svc{i}";
            long slot = allocator.PreferredSlot($"{label}.marathon");
            if (seen.TryGetValue(slot, out var other))
            {
                return string.CompareOrdinal(label, other) < 0 ? (other, label) : (label, other);
            }

            seen[slot] = label;
        }
    }

    private static TaskInfo Aged(TaskInfo task, double since) =>
        task with { Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = since }] };

    private static IPAddress Single(IReadOnlyList<NamedVipAddress> named, string label) =>
        named.Single(n => n.Label == label).Address;

    private static (string?, SocketError) Named((string? Name, SocketError Error, TimeSpan Elapsed) result) => (result.Name, result.Error);
}
