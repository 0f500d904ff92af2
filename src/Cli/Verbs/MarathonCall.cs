using System.CommandLine;
using Minuet.Cli.Client;

namespace Minuet.Cli.Verbs;

/// <summary>What the Marathon client verbs share: <c>--marathon URL</c>, <c>--json</c>, and printing an answer or its error.</summary>
internal static class MarathonCall
{
    public static Option<string> UrlOption() => new("--marathon")
    {
        Description = "Base URL of the Marathon /v2 API, direct (default: <--url>/marathon through Admin Router).",
        DefaultValueFactory = ClusterClient.MarathonDefault,
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print the API's JSON as served (for scripts)." };

    /// <summary>
    /// Sends one request and prints the result: the body with <paramref name="json"/>, else <paramref name="format"/>'s
    /// text. Exit codes: 0 done, 1 refused by the API (4xx), 2 unreachable or a server error.
    /// </summary>
    public static async Task<int> RunAsync(
        ParseResult parse, string verb, string url, HttpMethod method, string path, string? body, bool json,
        Func<string, string?> format, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        using var client = MarathonClient.Create(url, out var urlError);
        if (client is null)
        {
            await error.WriteLineAsync($"minuet {verb}: {urlError}").ConfigureAwait(false);
            return 1;
        }

        var response = await client.SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            await error.WriteLineAsync($"minuet {verb}: {MarathonErrors.Describe(response)}").ConfigureAwait(false);
            return response.Status is >= 400 and < 500 ? 1 : 2;
        }

        if (json)
        {
            await output.WriteLineAsync(response.Body).ConfigureAwait(false);
            return 0;
        }

        string? text = format(response.Body);
        if (text is null)
        {
            await error.WriteLineAsync($"minuet {verb}: unexpected answer from {client.BaseUrl}{path.TrimStart('/')}: {Shorten(response.Body)}").ConfigureAwait(false);
            return 2;
        }

        await output.WriteAsync(text).ConfigureAwait(false);
        return 0;
    }

    /// <summary>"deployment ID, version V" from a change's answer, or the empty string.</summary>
    public static string DeploymentOf(string body)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? id = null;
            if (root.TryGetProperty("deploymentId", out var d))
            {
                id = d.GetString();
            }
            else if (root.TryGetProperty("deployments", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Array && list.GetArrayLength() > 0
                && list[0].TryGetProperty("id", out var first))
            {
                id = first.GetString();
            }

            string? version = root.TryGetProperty("version", out var v) ? v.ToString() : null;
            return id is null ? string.Empty : $" (deployment {id}{(version is null ? string.Empty : ", version " + version)})";
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return string.Empty;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
