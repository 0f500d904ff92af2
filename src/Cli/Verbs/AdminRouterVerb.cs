using System.CommandLine;
using Microsoft.Extensions.Logging;
using Minuet.Platform.AdminRouter;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet admin-router --listen 0.0.0.0:80 --mesos URL[,URL...] --marathon URL --cosmos URL --dns-api URL
/// [--auth on|off] [--state-dir DIR] [--auth-secret-file FILE]</c>: the authenticated front door (see
/// src/Platform/AdminRouter/README.md).
/// </summary>
internal static class AdminRouterVerb
{
    public const string DefaultListen = "0.0.0.0:80";

    /// <summary>The router's own directory (keys, users) under a state dir: <c>&lt;state-dir&gt;/admin-router</c>.</summary>
    public static string DirUnder(string stateDir) => Path.Combine(stateDir, "admin-router");

    public static string? DefaultDir() => Cluster.UpEndpoints.DefaultStateDir() is { } dir ? DirUnder(dir) : null;

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP:port to serve on.", DefaultValueFactory = _ => DefaultListen };
        var mesos = new Option<string[]>("--mesos") { Description = "Master URL(s), repeatable or comma-separated; the elected one is followed (/master/redirect).", DefaultValueFactory = _ => ["http://127.0.0.1:5050"] };
        var marathon = new Option<string>("--marathon") { Description = "Marathon URL (/marathon/).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var cosmos = new Option<string>("--cosmos") { Description = "Package service URL (/package/, /capabilities).", DefaultValueFactory = _ => "http://127.0.0.1:7070" };
        var dnsApi = new Option<string>("--dns-api") { Description = "Data plane HTTP API URL (/mesos_dns/).", DefaultValueFactory = _ => "http://127.0.0.1:61421" };
        var metronome = new Option<string>("--metronome") { Description = "Jobs service URL (/service/metronome/).", DefaultValueFactory = _ => "http://127.0.0.1:9000" };
        var auth = new Option<string>("--auth") { Description = "on (default): every API needs a token; off: anonymous, for a trusted lab only.", DefaultValueFactory = _ => "on" };
        var stateDir = new Option<string?>("--state-dir") { Description = "Keys and users (default $MINUET_STATE_DIR/admin-router, else ~/.minuet/admin-router)." };
        var secretFile = new Option<string?>("--auth-secret-file") { Description = "Sign and check HS256 tokens with this file's secret (32+ bytes; DC/OS 1.8-1.12 style) instead of the RS256 key pair." };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };
        var command = new Command("admin-router", "Run Admin Router: one authenticated entry proxying /mesos/, /marathon/, /package/, /mesos_dns/ and /service/<name>/ (minuet up starts it on 127.0.0.1:80).");
        foreach (var option in new Option[] { listen, mesos, marathon, cosmos, dnsApi, metronome, auth, stateDir, secretFile, logLevel })
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

            var masters = new List<Uri>();
            foreach (string text in parse.GetValue(mesos)!.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                if (ParseUrl("--mesos", text, errors) is { } url)
                {
                    masters.Add(url);
                }
            }

            if (masters.Count == 0)
            {
                errors.Add("--mesos: at least one master URL is required");
            }

            var marathonUrl = ParseUrl("--marathon", parse.GetValue(marathon)!, errors);
            var cosmosUrl = ParseUrl("--cosmos", parse.GetValue(cosmos)!, errors);
            var dnsUrl = ParseUrl("--dns-api", parse.GetValue(dnsApi)!, errors);
            var metronomeUrl = ParseUrl("--metronome", parse.GetValue(metronome)!, errors);
            bool authOn = parse.GetValue(auth) switch
            {
                "on" => true,
                "off" => false,
                var other => Fail(errors, $"--auth: must be on or off, got \"{other}\""),
            };
            string? dir = parse.GetValue(stateDir) ?? DefaultDir();
            if (dir is null)
            {
                errors.Add("--state-dir: no home directory to keep keys and users in; give --state-dir DIR");
            }

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"minuet admin-router: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            using var stop = new StopSignals(cancellationToken);
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)); // the auth stack loads it; nothing here encrypts with it
            var options = new AdminRouterOptions
            {
                Listen = endpoint!,
                Masters = masters,
                Marathon = marathonUrl!,
                Cosmos = cosmosUrl!,
                DnsApi = dnsUrl!,
                Metronome = metronomeUrl!,
                Auth = authOn,
                StateDir = Path.GetFullPath(dir!),
                AuthSecretFile = parse.GetValue(secretFile),
            };
            var host = AdminRouterHost.Create(options, loggers, TimeProvider.System, out string? problem);
            if (host is null)
            {
                await error.WriteLineAsync($"minuet admin-router: {problem}").ConfigureAwait(false);
                return 1;
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.StartAsync(stop.Token).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    await error.WriteLineAsync($"minuet admin-router: --listen: cannot listen on {endpoint}: {e.Message}").ConfigureAwait(false);
                    return 1;
                }

                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"minuet admin-router: on {endpoint} (auth {(authOn ? "on" : "off")}), masters {string.Join(", ", masters)}, marathon {marathonUrl}, cosmos {cosmosUrl}, dns api {dnsUrl}; keys and users in {options.StateDir}").ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
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

    private static bool Fail(List<string> errors, string message)
    {
        errors.Add(message);
        return false;
    }

    internal static Uri? ParseUrl(string option, string text, List<string> errors)
    {
        string withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "http://" + text;
        if (Uri.TryCreate(withScheme.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Host.Length > 0)
        {
            return url;
        }

        errors.Add($"{option}: must be an http URL such as http://127.0.0.1:8080, got \"{text}\"");
        return null;
    }
}
