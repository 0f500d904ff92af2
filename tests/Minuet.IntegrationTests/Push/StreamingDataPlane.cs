using System.Net;
using Minuet.DataPlane.Host;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.IntegrationTests.Push;

/// <summary>
/// A data plane in this process following a master's push stream (<c>--master-url</c>) on 127.0.0.1, DNS off,
/// balancer off. <see cref="Cut"/> breaks the current connection (as a network blip would) without touching the master.
/// </summary>
internal sealed class StreamingDataPlane : IAsyncDisposable
{
    private StreamingDataPlane(DataPlaneHost host) => Host = host;

    public DataPlaneHost Host { get; }

    public MasterStreamSource Source => (MasterStreamSource)Host.Source;

    public DataPlaneSnapshot? Snapshot => Host.Pipeline.Store.Current;

    public static async Task<StreamingDataPlane> StartAsync(Uri masterUrl)
    {
        var host = await DataPlaneHost.StartAsync(new DataPlaneOptions
        {
            MasterUrl = masterUrl,
            HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
            DnsEnabled = false,
            L4lb = false,
        });
        return new StreamingDataPlane(host);
    }

    /// <summary>The published task with that id, or null.</summary>
    public TaskInfo? Task(string taskId) =>
        Snapshot?.State.Frameworks.SelectMany(f => f.Tasks).FirstOrDefault(t => t.Id == taskId);

    /// <summary>Whether DNS answers the task's name (<c>itest-app.itest.mesos</c>) with at least this many records.</summary>
    public int AddressCount(string name) =>
        Snapshot?.Records.Names.TryGetValue(name, out var records) == true ? records.A.Length : 0;

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
