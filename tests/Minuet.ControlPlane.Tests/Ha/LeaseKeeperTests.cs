using System.Diagnostics;
using Etcdserverpb;
using Minuet.ControlPlane.Coordination;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>The lease renewed from a dedicated thread over etcd's JSON gateway (a loaded leader's pool must not decide its term).</summary>
[Collection(EtcdClusterGroup.Name)]
public sealed class LeaseKeeperTests
{
    private readonly EtcdCluster _cluster;

    public LeaseKeeperTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [Fact]
    public void ParseTtl_KeepaliveAnswer_ReadsTheGrantedTtl() =>
        Assert.Equal(5, LeaseKeeper.ParseTtl("""{"result":{"header":{"cluster_id":"1","revision":"1"},"ID":"7418","TTL":"5"}}"""));

    [Fact]
    public void ParseTtl_ExpiredLease_IsZero() =>
        Assert.Equal(0, LeaseKeeper.ParseTtl("""{"result":{"header":{"cluster_id":"1","revision":"1"},"ID":"12345"}}"""));

    [Theory]
    [InlineData("""{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: no leader"}}""")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("")]
    public void ParseTtl_NotAKeepaliveAnswer_IsNull(string text) => Assert.Null(LeaseKeeper.ParseTtl(text));

    [Fact]
    public void Request_NamesTheLeaseInTheBodyAndClosesTheConnection()
    {
        var text = System.Text.Encoding.ASCII.GetString(LeaseKeeper.Request(new Uri("http://127.0.0.1:2379"), 741865042285347077));
        Assert.StartsWith("POST /v3/lease/keepalive HTTP/1.1\r\nHost: 127.0.0.1:2379\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n{\"ID\":\"741865042285347077\"}", text, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 27\r\n", text, StringComparison.Ordinal);
    }

    [EtcdFact]
    public async Task Keeper_FirstMemberRefuses_RenewsOnTheNextAndReportsTheTtl()
    {
        using var etcd = _cluster.Connect();
        var lease = await etcd.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}");
        var renewed = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        long validUntil = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        using var keeper = new LeaseKeeper([closed, .. _cluster.Endpoints], lease.ID, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5),
            () => false, () => validUntil, (_, ttl) => renewed.TrySetResult(ttl));
        keeper.Start();

        long granted = await renewed.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.InRange(granted, 1, 30);
        Assert.False(keeper.Lost.IsCompleted);
    }

    [EtcdFact]
    public async Task Keeper_LeaseRevoked_ReportsTheLeaseExpired()
    {
        using var etcd = _cluster.Connect();
        var lease = await etcd.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = 30 });
        await etcd.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID });
        long validUntil = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        using var keeper = new LeaseKeeper(_cluster.Endpoints, lease.ID, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5),
            () => false, () => validUntil, (_, _) => { });
        keeper.Start();

        Assert.Equal("the lease expired", await keeper.Lost.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
