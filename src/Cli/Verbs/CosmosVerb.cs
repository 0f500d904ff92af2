using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.Platform.Packages.Service;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet cosmos --listen 127.0.0.1:7070 --marathon URL [--mesos URL] --state-dir DIR [--local-universe DIR]</c>:
/// the package service (Cosmos's API), which <c>minuet up</c> runs.
/// </summary>
internal static class CosmosVerb
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP:port for the Cosmos API (/package/*, /capabilities).", DefaultValueFactory = _ => "127.0.0.1:7070" };
        var marathon = new Option<string>("--marathon") { Description = "Marathon's base URL (apps are installed there).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var mesos = new Option<string?>("--mesos") { Description = "The Mesos master's URL, to tear down the framework of an uninstalled framework package (none: no teardown)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Where the repository list is kept (repositories.json); without it the list lives in memory." };
        var localUniverse = new Option<string?>("--local-universe") { Description = "Package folders (<name>/<N>/package.json ...) served as GET /repo and listed first as local-universe." };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };
        var command = new Command("cosmos", "Run the package service: Cosmos's /package/* API over Universe repositories, installing into Marathon.");
        foreach (var option in new Option[] { listen, marathon, mesos, stateDir, localUniverse, logLevel })
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

            Uri? Url(string option, string? text)
            {
                if (text is null)
                {
                    return null;
                }

                if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                {
                    return url;
                }

                errors.Add($"{option}: must be an http:// URL, got \"{text}\"");
                return null;
            }

            var marathonUrl = Url("--marathon", parse.GetValue(marathon));
            var mesosUrl = Url("--mesos", parse.GetValue(mesos));
            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            string? dir = parse.GetValue(stateDir);
            if (dir is not null && errors.Count == 0)
            {
                try
                {
                    Directory.CreateDirectory(dir);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add($"--state-dir: cannot use {dir}: {e.Message}");
                }
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"minuet cosmos: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            cancellationToken = stop.Token;
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            var problems = new List<string>();
            var host = CosmosHost.Create(new CosmosHostOptions
            {
                Listen = endpoint!,
                Marathon = marathonUrl!,
                Mesos = mesosUrl,
                StateDir = dir is null ? null : Path.GetFullPath(dir),
                LocalUniverse = parse.GetValue(localUniverse),
            }, loggers, problems, out string? warning);
            if (host is null)
            {
                foreach (var p in problems)
                {
                    await error.WriteLineAsync($"minuet cosmos: --local-universe: {p}").ConfigureAwait(false);
                }

                return 1;
            }

            if (warning is not null)
            {
                await error.WriteLineAsync($"minuet cosmos: {warning}").ConfigureAwait(false);
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    await error.WriteLineAsync($"minuet cosmos: --listen: cannot listen on {endpoint}: {e.Message}").ConfigureAwait(false);
                    return 1;
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"minuet cosmos: package service on {endpoint}, Marathon {marathonUrl}, repositories: {string.Join(", ", host.Repositories.List().Select(r => $"{r.Name} {r.Uri}"))}").ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C / SIGTERM: stop cleanly.
                }
            }

            return 0;
        });
        return command;
    }
}
