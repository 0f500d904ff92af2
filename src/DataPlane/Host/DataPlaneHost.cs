using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Forwarding;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Http;
using Minuet.DataPlane.Metrics;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Host;

/// <summary>
/// The data-plane process: the state source feeding the snapshot pipeline, the DNS server reading the snapshot
/// store, and the HTTP API on Kestrel. <see cref="StartAsync"/> reads the source once before the listeners open
/// (as Mesos-DNS reloads before serving), then keeps following it in the background.
/// </summary>
public sealed partial class DataPlaneHost : IAsyncDisposable
{
    /// <summary>What <c>--l4lb on</c> says while no L4 balancer is available.</summary>
    public const string NoBalancerMessage =
        "--l4lb on: the L4 VIP balancer is not available in this build yet; run with --l4lb off";

    private readonly WebApplication _web;
    private DnsServer? _dns;
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDisposable? _sourceResource;
    private MemoryTrimmer? _trimmer;
    private Task _sourceLoop = Task.CompletedTask;
    private bool _sourceStarted;

    /// <summary>No stream line for this long (the master heartbeats after 10 s of quiet): reconnect.</summary>
    internal static readonly TimeSpan StreamIdleTimeout = TimeSpan.FromSeconds(30);

    // Long enough for the DNS answer compile that follows a publish to finish first; rare enough that the GC pause
    // it costs is no concern for answer latency (see MemoryTrimmer).
    private static readonly TimeSpan TrimSettle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TrimMinInterval = TimeSpan.FromSeconds(60);

    private DataPlaneHost(
        DataPlaneOptions options, WebApplication web, DnsServer? dns, IStateSource source, SnapshotPipeline pipeline, DataPlaneMetrics metrics)
    {
        Options = options;
        _web = web;
        _dns = dns;
        Source = source;
        Pipeline = pipeline;
        Metrics = metrics;
        _sourceResource = source as IDisposable;
    }

    public DataPlaneOptions Options { get; }

    public IStateSource Source { get; }

    public SnapshotPipeline Pipeline { get; }

    public SnapshotStore Store => _web.Services.GetRequiredService<SnapshotStore>();

    public DataPlaneMetrics Metrics { get; }

    public SourceHealth Health => Pipeline.Health;

    /// <summary>The HTTP API's base address (the real port when listening on port 0).</summary>
    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Where DNS answers over UDP (TCP uses the same port); null when DNS is off.</summary>
    public IPEndPoint? DnsEndPoint => _dns?.UdpEndPoint;

    public static async Task<DataPlaneHost> StartAsync(
        DataPlaneOptions options, DataPlaneHostServices? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        services ??= new DataPlaneHostServices();
        if (options.L4lb && services.VipProgrammerFactory is null)
        {
            throw new InvalidOperationException(NoBalancerMessage);
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (services.LoggerFactory is { } loggerFactory)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        else
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.HttpListen);
        });

        var metrics = services.Metrics ?? new DataPlaneMetrics();
        ProcessMetrics.Register(metrics);
        var recordOptions = new DnsRecordOptions
        {
            Domain = options.Domain,
            Ttl = options.Ttl,
            NegativeTtl = options.NegativeTtl,
            LabelSpec = options.LabelSpec,
            IpSources = options.IpSources,
            ListenerAddresses = ListenerAddresses(options.DnsListen.Address),
            Masters = options.Masters,
            // Scheduler and agent pids may name hosts rather than IPs; Mesos-DNS looks those up (records/generator.go).
            HostResolver = new HostNameCache().Resolve,
        };
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<SnapshotStore>();
        builder.Services.AddSingleton(new DnsRecordBuilder(recordOptions));
        builder.Services.AddSingleton(sp => new SourceHealth(sp.GetRequiredService<DataPlaneMetrics>()));
        // Built at the first request, when both listeners are bound, so port 0 shows the port actually in use.
        DataPlaneHost? started = null;
        builder.Services.AddSingleton(sp => ApiConfig(options, recordOptions, ServerOptions(options)) with
        {
            Port = started?.DnsEndPoint?.Port ?? options.DnsListen.Port,
            HttpPort = BoundAddress(sp).Port,
        });
        builder.Services.AddDnsApiJson();
        if (services.VipProgrammerFactory is { } factory && options.L4lb)
        {
            // AddSingleton(factory) would bind the Func overload to IVipProgrammer itself; register it explicitly.
            builder.Services.AddSingleton<IVipProgrammer>(sp => factory(sp));
        }

        builder.Services.AddSingleton(sp => new SnapshotPipeline(
            sp.GetRequiredService<SnapshotStore>(),
            sp.GetRequiredService<DnsRecordBuilder>(),
            options.L4lb ? sp.GetService<IVipProgrammer>() : null,
            sp.GetRequiredService<SourceHealth>(),
            sp.GetRequiredService<ILogger<SnapshotPipeline>>()));

        var web = builder.Build();
        web.MapDnsApi();
        web.MapMetrics();
        services.MapRoutes?.Invoke(web);

        var pipeline = web.Services.GetRequiredService<SnapshotPipeline>();
        IStateSource source = options.StateFile is not null
            ? new StateFileSource(options.StateFile, pipeline, options.Refresh)
            : options.MasterUrl is not null
                ? new MasterStreamSource(options.MasterUrls.Count > 0 ? options.MasterUrls : [options.MasterUrl], pipeline, StreamIdleTimeout, web.Services.GetRequiredService<ILogger<MasterStreamSource>>())
            : options.Masters.Count > 0
                ? new MasterListSource(options.Masters, pipeline, options.Refresh, options.StateTimeout, web.Services.GetRequiredService<ILogger<MasterListSource>>())
                : new StateUrlSource(options.StateUrl!, pipeline, options.Refresh, options.StateTimeout);

        var host = new DataPlaneHost(options, web, null, source, pipeline, metrics);
        started = host;
        try
        {
            // First read before serving, so the first answers already come from real state; a bad first read is
            // logged and the listeners start anyway (answers appear as soon as a good document arrives).
            await host.ReadOnceAsync(cancellationToken).ConfigureAwait(false);

            if (options.DnsEnabled)
            {
                var dnsMetrics = new DnsMetrics(metrics);
                host._dns = new DnsServer(
                    ServerOptions(options),
                    web.Services.GetRequiredService<SnapshotStore>(),
                    web.Services.GetRequiredService<ILoggerFactory>(),
                    dnsMetrics);
                await host._dns.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            await web.StartAsync(cancellationToken).ConfigureAwait(false);

            // Subscribed after the DNS server, so on each publish it arms only once the answers are compiled.
            host._trimmer = new MemoryTrimmer(web.Services.GetRequiredService<SnapshotStore>(), TrimSettle, TrimMinInterval);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        host.HttpAddress = BoundAddress(web.Services);
        if (host._sourceLoop.IsCompleted && !host._sourceStarted)
        {
            var stopping = host._stopping.Token;
            host._sourceLoop = Task.Run(() => source.RunAsync(stopping), CancellationToken.None);
        }

        return host;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires (Ctrl+C, SIGTERM), then stops everything.</summary>
    public async Task RunUntilStoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sourceLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        if (_dns is not null)
        {
            await _dns.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _web.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started (a failed start disposes before Kestrel runs)
        }

        await _web.DisposeAsync().ConfigureAwait(false);
        _sourceResource?.Dispose();
        _trimmer?.Dispose();
        _stopping.Dispose();
    }

    private Task ReadOnceAsync(CancellationToken cancellationToken) => Source switch
    {
        StateFileSource file => file.ReadOnceAsync(cancellationToken),
        StateUrlSource url => url.FetchOnceAsync(cancellationToken),
        MasterListSource masters => masters.FetchOnceAsync(cancellationToken),
        MasterStreamSource stream => FollowStreamAsync(stream, cancellationToken),
        _ => Task.CompletedTask,
    };

    /// <summary>The stream is one long read: start following it now and wait a little for the first snapshot.</summary>
    private Task<bool> FollowStreamAsync(MasterStreamSource stream, CancellationToken cancellationToken)
    {
        var stopping = _stopping.Token;
        _sourceStarted = true;
        _sourceLoop = Task.Run(() => stream.RunAsync(stopping), CancellationToken.None);
        return stream.WaitForFirstSnapshotAsync(Options.StateTimeout, cancellationToken);
    }

    private static Uri BoundAddress(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        string? first = addresses?.FirstOrDefault();
        return first is null ? new Uri("http://127.0.0.1/") : new Uri(first.EndsWith('/') ? first : first + "/");
    }

    /// <summary>
    /// The name server's own addresses for <c>ns1.{domain}</c>: the listen address, or (on a wildcard address, as
    /// Mesos-DNS does for 0.0.0.0) every non-loopback address of this machine.
    /// </summary>
    internal static IReadOnlyList<IPAddress> ListenerAddresses(IPAddress listen)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return [listen];
        }

        var result = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var ip = unicast.Address;
                    // Link-local IPv6 needs a zone index no DNS answer can carry, so it is left out.
                    if (!IPAddress.IsLoopback(ip) && !ip.IsIPv6LinkLocal && !result.Contains(ip))
                    {
                        result.Add(ip);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
        }

        return result;
    }

    private static DnsServerOptions ServerOptions(DataPlaneOptions options) => new()
    {
        UdpListen = options.DnsListen,
        Upstreams = options.Upstreams.Count > 0 ? options.Upstreams : null,
        Forwarding = options.Forward,
        Domain = options.Domain,
    };

    private static DnsApiConfig ApiConfig(DataPlaneOptions options, DnsRecordOptions records, DnsServerOptions dns) => new()
    {
        Domain = options.Domain,
        Ttl = options.Ttl,
        RefreshSeconds = (int)Math.Ceiling(options.Refresh.TotalSeconds),
        Timeout = (int)Math.Ceiling(dns.UpstreamTimeout.TotalSeconds),
        StateTimeoutSeconds = (int)Math.Ceiling(options.StateTimeout.TotalSeconds),
        Listener = options.DnsListen.Address.ToString(),
        Port = options.DnsListen.Port,
        HttpListener = options.HttpListen.Address.ToString(),
        HttpPort = options.HttpListen.Port,
        Resolvers = !options.Forward ? []
            : options.Upstreams.Count > 0 ? [.. options.Upstreams.Select(u => u.ToString())]
            : [.. ResolvConf.ReadUpstreams(ResolvConf.DefaultPath, options.DnsListen).Select(u => u.ToString())],
        ExternalOn = options.Forward,
        RecurseOn = options.Forward,
        DnsOn = options.DnsEnabled,
        SoaMname = records.EffectiveSoaMname + ".",
        SoaRname = records.EffectiveSoaRname + ".",
        SoaMinttl = Math.Min(options.Ttl, options.NegativeTtl),
        SrvRecordDefaultWeight = records.SrvWeight,
        IpSources = [.. options.IpSources.Select(IpSources.Name)],
        Masters = options.Masters,
        EnforceRfc952 = options.LabelSpec == DnsLabelSpec.Rfc952,
        MesosHttpsOn = (options.StateUrl ?? options.MasterUrl)?.Scheme == Uri.UriSchemeHttps,
        StateFile = options.StateFile,
        StateUrl = options.MasterUrl is not null ? new UriBuilder(options.MasterUrl) { UserName = string.Empty, Password = string.Empty }.Uri + "master/endpoints/stream"
            : options.StateUrl is null ? null : new UriBuilder(options.StateUrl) { UserName = string.Empty, Password = string.Empty, Query = string.Empty }.Uri.ToString(),
        L4lb = options.L4lb,
    };
}
