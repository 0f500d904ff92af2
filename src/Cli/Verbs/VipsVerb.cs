using System.CommandLine;
using System.Net.Http;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet vips</c>: reads the data plane's <c>GET /vips</c> (Minuteman's shape) and prints one line per
/// VIP backend for people, or the JSON as served with <c>--json</c>.
/// </summary>
internal static class VipsVerb
{
    public const string DefaultEndpoint = "http://127.0.0.1:61421";

    public static Command Create()
    {
        var http = new Option<string>("--http")
        {
            Description = $"Base URL of the data plane's HTTP API (default: the running `minuet up`'s, else {DefaultEndpoint}).",
            DefaultValueFactory = _ => Cluster.UpEndpoints.Find()?.Dataplane ?? DefaultEndpoint,
        };
        var json = new Option<bool>("--json") { Description = "Print the /vips JSON as served." };
        var command = new Command("vips", "Show the VIP table: every VIP, its backends and their health.");
        command.Options.Add(http);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var baseUrl = parse.GetValue(http)!.TrimEnd('/');
            if (!Uri.TryCreate(baseUrl + "/vips", UriKind.Absolute, out var uri))
            {
                await error.WriteLineAsync($"minuet vips: --http: '{baseUrl}' is not a URL").ConfigureAwait(false);
                return 1;
            }

            string body;
            try
            {
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                using var response = await client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    // Only the L4 balancer maps /vips: a data plane run with --l4lb off (up without root) has DNS and /v1 only.
                    await error.WriteLineAsync($"minuet vips: the data plane at {baseUrl} answered 404 for /vips: its L4 balancer is off (`minuet up` without root, or --l4lb off, runs DNS only; run up {UpVerb.AsRoot} for VIPs)").ConfigureAwait(false);
                    return 2;
                }

                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"minuet vips: {uri} answered {(int)response.StatusCode}: {body}").ConfigureAwait(false);
                    return 2;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await error.WriteLineAsync($"minuet vips: cannot reach {uri}: {e.Message} (is `minuet dataplane` running?)").ConfigureAwait(false);
                return 2;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body).ConfigureAwait(false);
                return 0;
            }

            if (!VipsTable.TryFormat(body, out var table, out var reason))
            {
                await error.WriteLineAsync($"minuet vips: unexpected answer from {uri}: {reason}").ConfigureAwait(false);
                return 2;
            }

            await output.WriteAsync(table).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
