using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>An HA master on 127.0.0.1 (a free port, the same in its leader key) on the test etcd cluster.</summary>
internal static class HaMaster
{
    public static async Task<MasterHost> StartAsync(EtcdCluster cluster, TimeSpan? ttl = null)
    {
        int port = FreePort();
        var host = MasterHost.CreateHa(new IPEndPoint(IPAddress.Loopback, port), cluster.Endpoints,
            new MasterOptions { AdvertiseIp = "127.0.0.1", Port = port, Hostname = $"master-{port}", AllocationInterval = TimeSpan.FromMilliseconds(100) },
            ttl ?? EtcdTestKit.Ttl);
        await host.StartAsync();
        return host;
    }

    public static HttpClient Client(MasterHost master) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = master.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>An agent that only records what masters ask of it (launches and kills).</summary>
internal sealed class RecordingAgent : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingAgent(WebApplication app) => _app = app;

    public List<LaunchTaskRequest> Launches { get; } = [];

    public List<string> Kills { get; } = [];

    public int Port { get; private set; }

    public static async Task<RecordingAgent> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var agent = new RecordingAgent(builder.Build());
        agent._app.MapPost(ProtocolRoutes.LaunchTask, async context =>
        {
            var launch = await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.LaunchTaskRequest);
            lock (agent.Launches)
            {
                agent.Launches.Add(launch!);
            }

            context.Response.StatusCode = 202;
        });
        agent._app.MapPost(ProtocolRoutes.KillTaskTemplate, context =>
        {
            lock (agent.Kills)
            {
                agent.Kills.Add((string)context.Request.RouteValues["taskId"]!);
            }

            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        await agent._app.StartAsync();
        agent.Port = new Uri(agent._app.Urls.First()).Port;
        return agent;
    }

    public int LaunchCount
    {
        get
        {
            lock (Launches)
            {
                return Launches.Count;
            }
        }
    }

    public RegisterAgentRequest Registration(string? agentId = null, IReadOnlyList<ReportedTask>? tasks = null) => new()
    {
        AgentId = agentId,
        Hostname = "recording-agent",
        Address = "127.0.0.1",
        Port = Port,
        Resources = new ResourceSet { Cpus = 4, Mem = 4096, Ports = [new PortRange(31000, 31100)] },
        Tasks = tasks ?? [],
    };

    public async Task<string> RegisterAsync(HttpClient master, string? agentId = null, IReadOnlyList<ReportedTask>? tasks = null)
    {
        using var response = await master.PostAsJsonAsync(ProtocolRoutes.Register, Registration(agentId, tasks), ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.RegisterAgentResponse))!.AgentId;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
