using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Minuet.DataPlane.Tests.Http;

/// <summary>
/// A Mesos master's <c>/master/state</c> on 127.0.0.1 (port picked by the kernel) whose answer a test changes at
/// will: the document, who it names as leader, or a redirect.
/// </summary>
internal sealed class FakeMaster : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeMaster(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary><c>127.0.0.1:port</c>, as given to <c>--masters</c>.</summary>
    public string Address { get; }

    public string Pid => "master@" + Address;

    /// <summary>The answer: a document, or (with <see cref="RedirectTo"/>) a 307.</summary>
    public Func<byte[]>? Document { get; set; }

    public string? RedirectTo { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeMaster> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeMaster? master = null;
        app.MapGet("/master/state", () => master!.Answer());
        await app.StartAsync();
        master = new FakeMaster(app, new Uri(app.Urls.First()).Authority);
        return master;
    }

    /// <summary>A reference state document as <paramref name="pid"/> would write it, naming <paramref name="leaderPid"/>.</summary>
    public static byte[] State(string fixture, string pid, string leaderPid, Action<JsonNode>? change = null)
    {
        var state = JsonNode.Parse(StateFixtures.Bytes(fixture))!;
        state["pid"] = pid;
        state["leader"] = leaderPid;
        change?.Invoke(state);
        return System.Text.Encoding.UTF8.GetBytes(state.ToJsonString());
    }

    private IResult Answer()
    {
        Interlocked.Increment(ref _requests);
        if (RedirectTo is { } target)
        {
            return Results.Redirect($"//{target}/master/state", permanent: false, preserveMethod: true);
        }

        return Document is { } document ? Results.Bytes(document(), "application/json") : Results.StatusCode(503);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
