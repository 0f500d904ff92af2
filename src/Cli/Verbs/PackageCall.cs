using System.CommandLine;
using System.Text.Json.Nodes;
using Minuet.Cli.Client;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Cli.Verbs;

/// <summary>What the <c>package</c> verbs share: <c>--url</c>, <c>--json</c>, one call with its error printed.</summary>
internal static class PackageCall
{
    public static Option<string> UrlOption() => new("--url")
    {
        Description = $"Base URL of the package service (default: the running `minuet up`'s, else {PackageServiceClient.DefaultUrl}).",
        DefaultValueFactory = _ => PackageServiceClient.DefaultBaseUrl(),
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the service's JSON as served (for scripts)." };

    /// <summary>One call; on failure prints why and returns null with the exit code.</summary>
    public static async Task<(JsonNode? Body, int Exit)> RunAsync(ParseResult parse, string verb, string url, string path, string kind, string version, JsonObject body, CancellationToken cancellationToken)
    {
        var error = parse.InvocationConfiguration.Error;
        using var client = PackageServiceClient.Create(url, out string? urlError);
        if (client is null)
        {
            await error.WriteLineAsync($"minuet package {verb}: {urlError}").ConfigureAwait(false);
            return (null, 1);
        }

        var answer = await client.CallAsync(path, kind, version, body, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            await error.WriteLineAsync($"minuet package {verb}: {answer.Describe()}").ConfigureAwait(false);
            return (null, answer.ExitCode);
        }

        return (answer.Body, 0);
    }

    public static string Pretty(JsonNode node) => node.ToJsonString(CosmosJson.Indented);

    /// <summary>Reads an options file (<c>-</c>: standard input) as a JSON object, or says why it cannot.</summary>
    public static async Task<(JsonObject? Options, string? Error)> ReadOptionsAsync(string? path, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return (null, null);
        }

        try
        {
            string text = path == "-" ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false) : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(text) is JsonObject o ? (o, null) : (null, $"--options: {path} must hold a JSON object");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"--options: cannot read {path}: {e.Message}");
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, $"--options: {path} is not valid JSON: {e.Message}");
        }
    }
}
