using Minuet.Native;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>The kernel's conntrack events and table of the namespace both sockets were opened in.</summary>
internal sealed class KernelConntrackEvents : IConntrackEvents
{
    private readonly ConntrackEventListener _listener;
    private readonly ConntrackClient _client;

    private KernelConntrackEvents(ConntrackEventListener listener, ConntrackClient client)
    {
        _listener = listener;
        _client = client;
    }

    /// <summary>Opens both sockets on the calling thread (its network namespace is the one watched).</summary>
    public static NativeResult TryOpen(out KernelConntrackEvents? events)
    {
        events = null;
        var opened = ConntrackEventListener.TryOpen(ConntrackEventGroups.All, out var listener);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        var client = ConntrackClient.TryOpen(out var conntrack);
        if (!client.IsSuccess)
        {
            listener!.Dispose();
            return client;
        }

        events = new KernelConntrackEvents(listener!, conntrack!);
        return opened;
    }

    public NativeResult Receive<THandler>(int timeoutMilliseconds, ref THandler handler)
        where THandler : struct, IConntrackEventHandler =>
        _listener.Receive(timeoutMilliseconds, ref handler);

    public NativeResult Dump(List<ConntrackEntryInfo> entries) => _client.Dump(entries);

    public void Dispose()
    {
        _listener.Dispose();
        _client.Dispose();
    }
}
