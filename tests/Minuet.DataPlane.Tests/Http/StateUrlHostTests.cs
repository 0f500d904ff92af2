using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Host;

namespace Minuet.DataPlane.Tests.Http;

/// <summary><c>--state-url</c> end to end: a fake master on 127.0.0.1 serves the reference state; the host polls it.</summary>
public sealed class StateUrlHostTests
{
    [Fact]
    public async Task StartAsync_StateUrl_PollsMasterAndFollowsChangesAndOutages()
    {
        byte[] document = StateFixtures.Bytes(StateFixtures.Dcos113);
        int status = 200;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var master = builder.Build();
        master.MapGet("/master/state", () => status == 200 ? Results.Bytes(document, "application/json") : Results.StatusCode(status));
        await master.StartAsync();
        var masterUrl = new Uri(master.Urls.First() + "/master/state");

        await using var host = await DataPlaneHost.StartAsync(
            new DataPlaneOptions
            {
                StateUrl = masterUrl,
                Refresh = TimeSpan.FromMilliseconds(100),
                HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
                DnsEnabled = false,
                L4lb = false,
            },
            new DataPlaneHostServices { LoggerFactory = NullLoggerFactory.Instance });

        Assert.Single(host.Store.Current!.Records.Names["toy-store.ipv6-framework.mesos"].A);

        document = StateFixtures.Bytes(StateFixtures.Current);
        Assert.True(await Sources.PipelineFixture.EventuallyAsync(() => host.Store.Current!.Records.Names["toy-store.ipv6-framework.mesos"].A.Length == 2));
        var good = host.Store.Current;

        status = 503;
        Assert.True(await Sources.PipelineFixture.EventuallyAsync(() => host.Health.Errors.WithLabels("fetch").Value >= 2));
        Assert.Same(good, host.Store.Current);
        Assert.Contains("503", host.Health.LastError!.Reason, StringComparison.Ordinal);
    }
}
