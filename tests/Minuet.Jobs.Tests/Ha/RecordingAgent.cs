using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Protocol;

namespace Minuet.Jobs.Tests.Ha;

/// <summary>An agent that only records the task ids masters ask it to launch (nothing runs).</summary>
internal sealed class RecordingAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _launched = [];

    private RecordingAgent(WebApplication app) => _app = app;

    public int Port { get; private set; }

    /// <summary>Task ids in launch order.</summary>
    public IReadOnlyList<string> Launched
    {
        get
        {
            lock (_launched)
            {
                return [.. _launched];
            }
        }
    }

    public static async Task<RecordingAgent> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var agent = new RecordingAgent(builder.Build());
        agent._app.MapPost(ProtocolRoutes.LaunchTask, async context =>
        {
            var launch = await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.LaunchTaskRequest);
            lock (agent._launched)
            {
                agent._launched.Add(launch!.TaskId);
            }

            context.Response.StatusCode = 202;
        });
        agent._app.MapPost(ProtocolRoutes.KillTaskTemplate, context =>
        {
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        await agent._app.StartAsync();
        agent.Port = new Uri(agent._app.Urls.First()).Port;
        return agent;
    }

    public async Task RegisterAsync(Uri master)
    {
        using var http = new HttpClient { BaseAddress = master };
        using var response = await http.PostAsJsonAsync(ProtocolRoutes.Register, new RegisterAgentRequest
        {
            Hostname = "recording-agent",
            Address = "127.0.0.1",
            Port = Port,
            Resources = new ResourceSet { Cpus = 4, Mem = 4096, Disk = 10_000, Ports = [new PortRange(31000, 31100)] },
            Tasks = [],
        }, ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
