using Microsoft.Extensions.Logging;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Route;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// Makes <c>--vip-range</c> routable when the host's table would not route it, as dcos-net's <c>minuteman</c>
/// interface did (this kernel may lack the dummy link type, so the route goes through <c>lo</c>). Without any
/// route, connect() to a VIP fails with ENETUNREACH before a SYN ever reaches NFQUEUE. The route only decides
/// the source address the client socket picks; the DNAT re-routes the SYN to the backend. So its <c>src</c> is
/// what matters: the address this host uses towards a (non-loopback) backend, else 127.0.0.1 for loopback
/// backends. A route without <c>src</c> would give the flow source 0.0.0.0 and it would hang.
/// The route carries protocol <see cref="Protocol"/>, so a later run (after kill -9) knows it is Minuet's: it is
/// kept and corrected, never removed under live flows (a socket whose route vanishes gets ENETUNREACH on its
/// next send). A route of ours for another range is removed. A route someone else made that already covers
/// the range (a default route included) is left alone.
/// </summary>
internal sealed partial class VipRangeRoute : IDisposable
{
    /// <summary>rtm_protocol of Minuet's route (iproute2 shows "proto 77"); unused by the well-known routing daemons.</summary>
    public const byte Protocol = 77;

    private const uint Loopback = 0x7F000001;

    /// <summary>Route lookups per table change to find a non-loopback backend's source address.</summary>
    private const int MaxLookups = 4;

    private readonly RouteClient _client;
    private readonly VipRange _range;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private uint _wantedSource = Loopback;
    private uint _sampledBackend;
    private bool _tableSeen;

    private VipRangeRoute(RouteClient client, VipRange range, ILogger logger)
    {
        _client = client;
        _range = range;
        _logger = logger;
    }

    /// <summary>True while the range's route is Minuet's (installed or adopted), so a clean exit removes it.</summary>
    public bool Owned { get; private set; }

    /// <summary>The src of the route Minuet holds, host order; 0 when it holds none.</summary>
    public uint Source { get; private set; }

    /// <summary>Opens the rtnetlink socket in the calling thread's network namespace.</summary>
    public static NativeResult TryOpen(VipRange range, ILogger logger, out VipRangeRoute? route)
    {
        route = null;
        var opened = RouteClient.TryOpen(out var client);
        if (opened.IsSuccess)
        {
            route = new VipRangeRoute(client!, range, logger);
        }

        return opened;
    }

    /// <summary>
    /// Picks the source for the route from the table's backends: the source this host uses towards the first
    /// non-loopback backend (one route lookup, cached per backend address), else 127.0.0.1. Only a changed
    /// source touches the kernel (one replace); the full comparison, which dumps the routing table, is
    /// <see cref="Reconcile"/>'s, at start and every reconcile interval, never per table change.
    /// </summary>
    public void Update(VipTable table)
    {
        lock (_gate)
        {
            _tableSeen = true;
            uint backend = FirstNonLoopbackBackend(table);
            if (backend == 0)
            {
                _wantedSource = Loopback;
                _sampledBackend = 0;
            }
            else if (backend != _sampledBackend)
            {
                _sampledBackend = backend;
                _wantedSource = SourceTowards(backend, table);
            }

            if (Owned && Source != _wantedSource)
            {
                Install(adopted: true);
            }
        }
    }

    /// <summary>
    /// Brings the kernel in line: our routes for other ranges go; ours for this range is kept with the wanted
    /// source; with none of ours, the range gets one only when no other route delivers its first address.
    /// </summary>
    public void Reconcile()
    {
        lock (_gate)
        {
            ReconcileLocked();
        }
    }

    /// <summary>Clean exit: removes the route when it is ours.</summary>
    public NativeResult Remove()
    {
        lock (_gate)
        {
            if (!Owned)
            {
                return NativeResult.Success("route delete");
            }

            var deleted = _client.Delete(_range.Network, (byte)_range.PrefixLength, Protocol);
            Owned = false;
            Source = 0;
            return deleted.Errno == Errno.ESRCH ? NativeResult.Success("route delete") : deleted;
        }
    }

    public void Dispose() => _client.Dispose();

    private void ReconcileLocked()
    {
        var routes = new List<RouteInfo>();
        var dumped = _client.Dump(routes);
        if (!dumped.IsSuccess)
        {
            LogRouteFailed(_logger, dumped.ToString());
            return;
        }

        RouteInfo? mine = null;
        foreach (var route in routes)
        {
            if (route.Protocol != Protocol || route.Table != RouteConstants.TableMain)
            {
                continue;
            }

            if (route.Destination == _range.Network && route.PrefixLength == _range.PrefixLength)
            {
                mine = route;
                continue;
            }

            // A leftover of a run with another --vip-range (killed, so it could not clean up).
            var deleted = _client.Delete(route.Destination, route.PrefixLength, Protocol);
            string network = IpPort.FormatAddress(route.Destination);
            string outcome = deleted.ToString();
            LogStaleRemoved(_logger, network, route.PrefixLength, outcome);
        }

        if (mine is null)
        {
            var looked = _client.Lookup(_range.First, out var existing);
            if (looked.IsSuccess && existing.Delivers)
            {
                if (Owned)
                {
                    string range = _range.ToString();
                    LogCovered(_logger, range);
                }

                Owned = false;
                Source = 0;
                return;
            }
        }
        else if (!_tableSeen && mine.Value.PreferredSource != 0)
        {
            // Restarted after a kill: keep the earlier run's source until the first table says otherwise, so
            // connections made in between still get a source that reaches the backends.
            _wantedSource = mine.Value.PreferredSource;
        }

        if (mine is not null && mine.Value.PreferredSource == _wantedSource && mine.Value.OutputInterface == RouteConstants.LoopbackIndex)
        {
            Owned = true;
            Source = _wantedSource;
            return;
        }

        Install(adopted: mine is not null);
    }

    private void Install(bool adopted)
    {
        var replaced = _client.Replace(_range.Network, (byte)_range.PrefixLength, RouteConstants.LoopbackIndex, _wantedSource, Protocol);
        if (!replaced.IsSuccess)
        {
            string failure = replaced.ToString();
            LogRouteFailed(_logger, failure);
            return;
        }

        Owned = true;
        Source = _wantedSource;
        string installed = _range.ToString();
        string source = IpPort.FormatAddress(_wantedSource);
        LogInstalled(_logger, installed, source, adopted);
    }

    private static uint FirstNonLoopbackBackend(VipTable table)
    {
        foreach (var vip in table.Vips)
        {
            foreach (var backend in vip.Backends)
            {
                if (backend.Endpoint.Address >> 24 != 127)
                {
                    return backend.Endpoint.Address;
                }
            }
        }

        return 0;
    }

    /// <summary>The source address the kernel picks towards <paramref name="first"/> (or a few more backends if that lookup fails).</summary>
    private uint SourceTowards(uint first, VipTable table)
    {
        if (TryPreferredSource(first, out uint source))
        {
            return source;
        }

        int lookups = 1;
        foreach (var vip in table.Vips)
        {
            foreach (var backend in vip.Backends)
            {
                uint address = backend.Endpoint.Address;
                if (address == first || address >> 24 == 127)
                {
                    continue;
                }

                if (TryPreferredSource(address, out source))
                {
                    return source;
                }

                if (++lookups >= MaxLookups)
                {
                    return Loopback;
                }
            }
        }

        return Loopback;
    }

    private bool TryPreferredSource(uint address, out uint source)
    {
        var looked = _client.Lookup(address, out var route);
        source = route.PreferredSource;
        return looked.IsSuccess && route.Delivers && source != 0 && !_range.Contains(address);
    }

    [LoggerMessage(EventId = 4350, Level = LogLevel.Information, Message = "VIP range {Range} was not routable: route through lo with src {Source} installed (adopted from an earlier run: {Adopted})")]
    private static partial void LogInstalled(ILogger logger, string range, string source, bool adopted);

    [LoggerMessage(EventId = 4351, Level = LogLevel.Information, Message = "Removed Minuet's route {Network}/{Prefix} left by an earlier run with another VIP range: {Result}")]
    private static partial void LogStaleRemoved(ILogger logger, string network, int prefix, string result);

    [LoggerMessage(EventId = 4352, Level = LogLevel.Warning, Message = "VIP range route: {Result}")]
    private static partial void LogRouteFailed(ILogger logger, string result);

    [LoggerMessage(EventId = 4353, Level = LogLevel.Information, Message = "VIP range {Range} is now routed by another route; Minuet's route is no longer needed")]
    private static partial void LogCovered(ILogger logger, string range);
}
