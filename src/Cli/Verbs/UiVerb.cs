using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.Platform.AdminRouter;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet ui --listen IP:PORT [--marathon URL] [--master URL] [--cosmos URL] [--dataplane URL]</c>: the web UI
/// on its own, for a cluster run without Admin Router (or to look at one from another port). It is Admin Router with
/// auth off: the same page at <c>/</c> and the same public API paths it calls, with no login. Upstreams default to
/// the running <c>minuet up</c>'s (<c>endpoints.json</c>), else the usual local ports.
/// </summary>
internal static class UiVerb
{
    public static Command Create()
    {
        // Read only when a default is needed, not whenever the command tree is built.
        var running = new Lazy<Cluster.UpEndpoints?>(Cluster.UpEndpoints.Find);
        var listen = new Option<string>("--listen") { Description = "IP:port to serve the UI on (no login: bind loopback unless the network is trusted).", DefaultValueFactory = _ => "127.0.0.1:9090" };
        var marathon = new Option<string>("--marathon") { Description = "Marathon URL.", DefaultValueFactory = _ => running.Value?.Marathon ?? "http://127.0.0.1:8080" };
        var master = new Option<string[]>("--master") { Description = "Master URL(s), repeatable or comma-separated.", DefaultValueFactory = _ => running.Value is { Masters.Count: > 0 } up ? [.. up.Masters] : [running.Value?.Master ?? "http://127.0.0.1:5050"] };
        var cosmos = new Option<string>("--cosmos") { Description = "Package service URL (the Catalog page).", DefaultValueFactory = _ => running.Value?.Packages ?? "http://127.0.0.1:7070" };
        var dataplane = new Option<string>("--dataplane") { Description = "Data plane HTTP API URL (the Network page's /vips).", DefaultValueFactory = _ => running.Value?.Dataplane ?? "http://127.0.0.1:61421" };
        var command = new Command("ui", "Serve the web UI without Admin Router (no login): the page at / and the API paths it calls, proxied to the given parts.");
        foreach (var option in new Option[] { listen, marathon, master, cosmos, dataplane })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            if (!MasterVerb.TryParseEndpoint(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                errors.Add($"--listen: {listenError}");
            }

            var masters = parse.GetValue(master)!.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Select(t => AdminRouterVerb.ParseUrl("--master", t, errors)).OfType<Uri>().ToList();
            var marathonUrl = AdminRouterVerb.ParseUrl("--marathon", parse.GetValue(marathon)!, errors);
            var cosmosUrl = AdminRouterVerb.ParseUrl("--cosmos", parse.GetValue(cosmos)!, errors);
            var dataplaneUrl = AdminRouterVerb.ParseUrl("--dataplane", parse.GetValue(dataplane)!, errors);
            if (masters.Count == 0)
            {
                errors.Add("--master: at least one master URL is required");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"minuet ui: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            var options = new AdminRouterOptions
            {
                Listen = endpoint!,
                Masters = masters,
                Marathon = marathonUrl!,
                Cosmos = cosmosUrl!,
                DnsApi = dataplaneUrl!,
                Auth = false,
                // Auth is off, so no key is used; the host still loads a key pair, kept in its own temporary folder.
                StateDir = Directory.CreateTempSubdirectory("minuet-ui-").FullName,
            };
            var host = AdminRouterHost.Create(options, loggers, TimeProvider.System, out string? problem);
            if (host is null)
            {
                await error.WriteLineAsync($"minuet ui: {problem}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                await using (host.ConfigureAwait(false))
                {
                    try
                    {
                        await host.StartAsync(stop.Token).ConfigureAwait(false);
                    }
                    catch (IOException e)
                    {
                        await error.WriteLineAsync($"minuet ui: --listen: cannot listen on {endpoint}: {e.Message}").ConfigureAwait(false);
                        return 1;
                    }

                    await parse.InvocationConfiguration.Output.WriteLineAsync($"minuet ui: open {host.Address} (no login; marathon {marathonUrl}, masters {string.Join(", ", masters)}, packages {cosmosUrl}, data plane {dataplaneUrl})").ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl-C / SIGTERM: stop cleanly.
                    }
                }
            }
            finally
            {
                Directory.Delete(options.StateDir, recursive: true);
            }

            return 0;
        });
        return command;
    }
}
