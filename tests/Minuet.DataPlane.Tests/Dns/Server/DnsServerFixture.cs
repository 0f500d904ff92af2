using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Metrics;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>A DnsServer on 127.0.0.1 with a random port, serving a hand-made record set.</summary>
internal sealed class DnsServerFixture : IAsyncDisposable
{
    private DnsServerFixture(DnsServer server, SnapshotStore store)
    {
        Server = server;
        Store = store;
    }

    public DnsServer Server { get; }

    public SnapshotStore Store { get; }

    public IPEndPoint Udp => Server.UdpEndPoint!;

    public IPEndPoint Tcp => Server.TcpEndPoint!;

    public static async Task<DnsServerFixture> StartAsync(DnsServerOptions? options = null, DnsRecordSet? records = null, DataPlaneMetrics? metrics = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var store = new SnapshotStore();
        store.Publish(Snapshot(records ?? TestRecordSets.Small()));
        options ??= new DnsServerOptions();
        options = options with
        {
            UdpListen = new IPEndPoint(IPAddress.Loopback, 0),
            Workers = Math.Min(options.Workers, 2),
            Upstreams = options.Upstreams ?? [],
        };
        var server = new DnsServer(options, store, loggerFactory ?? NullLoggerFactory.Instance, metrics is null ? new DnsMetrics() : new DnsMetrics(metrics));
        try
        {
            await server.StartAsync(CancellationToken.None);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return new DnsServerFixture(server, store);
    }

    public static DataPlaneSnapshot Snapshot(DnsRecordSet records) =>
        new(ClusterState.Empty, records, [], DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
