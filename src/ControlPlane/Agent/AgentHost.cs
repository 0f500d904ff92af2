using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.ControlPlane.Agent.Http;
using Minuet.ControlPlane.Agent.MasterLink;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Tasks;

namespace Minuet.ControlPlane.Agent;

/// <summary>
/// A whole agent: HTTP endpoint on Kestrel, task runtime (recovered from the work dir first) and the master
/// connection. Disposing it stops the agent but leaves tasks running for the next start to re-adopt.
/// Used by <c>minuet agent</c> and by integration tests.
/// </summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly FileStream _workDirLock;
    private Task? _link;

    private AgentHost(WebApplication app, HttpClient http, AgentRuntime runtime, MasterConnection connection, FileStream workDirLock)
    {
        _workDirLock = workDirLock;
        _app = app;
        _http = http;
        Runtime = runtime;
        Connection = connection;
    }

    public AgentRuntime Runtime { get; }

    public MasterConnection Connection { get; }

    /// <summary>The port Kestrel bound (the listen port, or the one chosen for port 0).</summary>
    public int Port { get; private set; }

    /// <summary>The IP registered with the master.</summary>
    public string Address { get; private set; } = "127.0.0.1";

    /// <summary>Builds and starts an agent; the error names the option that cannot work.</summary>
    public static async Task<(AgentHost? Host, string? Error)> StartAsync(AgentHostOptions options, ILoggerFactory? loggers = null,
        CancellationToken cancellationToken = default)
    {
        loggers ??= NullLoggerFactory.Instance;
        string address = options.AdvertiseIp ?? AdvertiseIpFor(options.Listen.Address, options.Master);
        var runtimeOptions = options.Runtime with { Address = address };
        var store = new CheckpointStore(runtimeOptions.WorkDir);
        var (workDirLock, lockError) = store.TryLock();
        if (workDirLock is null)
        {
            return (null, lockError);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(options.Listen));
        var app = builder.Build();
        // Redirects are not followed by the client: a standby master's 307 is how the agent learns the new leader.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var locator = new Minuet.Coordination.LeaderLocator(options.Masters.Count > 0 ? options.Masters : [options.Master]);
        var connection = new MasterConnection(locator, http, store, loggers.CreateLogger("Minuet.Agent.Master"));
        var (runtime, error) = AgentRuntime.Create(runtimeOptions, connection, loggers);
        if (runtime is null)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            http.Dispose();
            connection.Dispose();
            await workDirLock.DisposeAsync().ConfigureAwait(false);
            return (null, error);
        }

        connection.Runtime = runtime;
        AgentHttpApi.Map(app, runtime, runtimeOptions.Hostname);
        Operator.MesosAgentEndpoints.Map(app, runtime, options, address);
        var host = new AgentHost(app, http, runtime, connection, workDirLock);

        // Bind first: an agent that cannot listen must not touch the tasks another run may still own. Launches
        // only come after registration, which waits for recovery below.
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await host.DisposeAsync().ConfigureAwait(false);
            return (null, $"--listen: cannot listen on {options.Listen}: {e.Message}");
        }

        await runtime.RecoverAsync().ConfigureAwait(false);
        host.Port = BoundPort(app) ?? options.Listen.Port;
        runtime.AgentPort = host.Port;
        host.Address = address;
        connection.Identity = new AgentIdentity
        {
            Hostname = runtimeOptions.Hostname,
            Address = address,
            Port = host.Port,
            Resources = options.Resources,
            Attributes = options.Attributes,
        };
        host._link = connection.RunAsync(host._stop.Token);
        return (host, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_link is not null)
        {
            try
            {
                await _link.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.StopAsync().ConfigureAwait(false);
        await Runtime.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Connection.Dispose();
        _http.Dispose();
        _stop.Dispose();
        await _workDirLock.DisposeAsync().ConfigureAwait(false);
    }

    private static int? BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var url in addresses ?? [])
        {
            if (Uri.TryCreate(url.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        return null;
    }

    /// <summary>
    /// The listen IP when it is specific; otherwise the local address the kernel would use to reach the master
    /// (a connected UDP socket sends nothing, it only asks the routing table).
    /// </summary>
    internal static string AdvertiseIpFor(IPAddress listen, Uri master)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen.ToString();
        }

        try
        {
            var target = IPAddress.TryParse(master.Host.Trim('[', ']'), out var ip)
                ? ip
                : Dns.GetHostAddresses(master.Host).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? IPAddress.Loopback;
            using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(target, master.Port > 0 ? master.Port : 5050));
            return ((IPEndPoint)probe.LocalEndPoint!).Address.ToString();
        }
        catch (SocketException)
        {
            return "127.0.0.1";
        }
    }
}
