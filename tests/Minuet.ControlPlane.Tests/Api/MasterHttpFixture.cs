using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Api;

/// <summary>A master on 127.0.0.1 (random port) and a fake agent that records launches and kills.</summary>
internal sealed class MasterHttpFixture : IAsyncDisposable
{
    private WebApplication? _agent;

    public MasterHost Master { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri AgentBase { get; private set; } = null!;

    public List<LaunchTaskRequest> Launches { get; } = [];

    public List<string> Kills { get; } = [];

    public static async Task<MasterHttpFixture> StartAsync(string? stateDir = null)
    {
        var f = new MasterHttpFixture();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        f._agent = builder.Build();
        f._agent.MapPost(ProtocolRoutes.LaunchTask, async context =>
        {
            var launch = await JsonSerializer.DeserializeAsync(context.Request.Body, ProtocolJsonContext.Default.LaunchTaskRequest);
            lock (f.Launches)
            {
                f.Launches.Add(launch!);
            }

            context.Response.StatusCode = 202;
        });
        f._agent.MapPost(ProtocolRoutes.KillTaskTemplate, context =>
        {
            lock (f.Kills)
            {
                f.Kills.Add((string)context.Request.RouteValues["taskId"]!);
            }

            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        await f._agent.StartAsync();
        f.AgentBase = new Uri(f._agent.Urls.First() + "/");

        f.Master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), stateDir,
            new MasterOptions { AdvertiseIp = "127.0.0.1", Port = 5050, AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await f.Master.StartAsync();
        f.Http.BaseAddress = f.Master.BaseAddress;
        return f;
    }

    public async Task<string> RegisterAgentAsync()
    {
        var request = new RegisterAgentRequest
        {
            Hostname = "fake-agent",
            Address = "127.0.0.1",
            Port = AgentBase.Port,
            Resources = new ResourceSet { Cpus = 2, Mem = 1024, Ports = [new PortRange(31000, 31010)] },
        };
        using var response = await Http.PostAsJsonAsync(ProtocolRoutes.Register, request, ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.RegisterAgentResponse);
        return body!.AgentId;
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await Http.PostAsync(path, content);
    }

    public async ValueTask DisposeAsync()
    {
        await Master.DisposeAsync();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        Http.Dispose();
    }
}

/// <summary>Reads newline-delimited JSON from a streaming response, each line with a deadline.</summary>
internal sealed class NdjsonReader(HttpResponseMessage response, StreamReader reader) : IDisposable
{
    public static async Task<NdjsonReader> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new NdjsonReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public HttpResponseMessage Response => response;

    public async Task<JsonElement> NextAsync(Func<JsonElement, bool>? where = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("stream ended");
            var element = JsonDocument.Parse(line).RootElement.Clone();
            if (where is null || where(element))
            {
                return element;
            }
        }
    }

    public void Dispose()
    {
        reader.Dispose();
        response.Dispose();
    }
}
