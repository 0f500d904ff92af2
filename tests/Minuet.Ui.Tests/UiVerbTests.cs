using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Minuet.Ui.Tests;

/// <summary><c>minuet ui</c>: the UI without Admin Router, no login, the API paths proxied to the parts given.</summary>
public sealed partial class UiVerbTests
{
    [Fact]
    public async Task Ui_Standalone_ServesPageAndProxiesMarathonWithoutLogin()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var marathon = builder.Build();
        marathon.Run(c => c.Response.WriteAsync("fake marathon " + c.Request.Path));
        await marathon.StartAsync();
        string upstream = marathon.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "minuet.dll"), "ui", "--listen", "127.0.0.1:0", "--marathon", upstream, "--master", upstream })
        {
            start.ArgumentList.Add(arg);
        }

        using var ui = Process.Start(start)!;
        try
        {
            string? line;
            Match? opened = null;
            while ((line = await ui.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2))) is not null && !(opened = Opened().Match(line)).Success)
            {
            }

            if (opened is not { Success: true })
            {
                ui.Kill(entireProcessTree: true);
                Assert.Fail("minuet ui printed no address: " + await ui.StandardError.ReadToEndAsync());
            }

            using var client = new HttpClient { BaseAddress = new Uri(opened.Groups[1].Value), Timeout = TimeSpan.FromMinutes(1) };

            string page = await client.GetStringAsync("/");
            string proxied = await client.GetStringAsync("/marathon/v2/info");

            Assert.Contains("/assets/app.js", page, StringComparison.Ordinal);
            Assert.Equal("fake marathon /v2/info", proxied);
        }
        finally
        {
            ui.Kill(entireProcessTree: true);
            await ui.WaitForExitAsync();
        }
    }

    [GeneratedRegex(@"minuet ui: open (http://\S+/) ")]
    private static partial Regex Opened();
}
