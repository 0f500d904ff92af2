using System.Text;
using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>
/// Turns a failed Marathon answer into lines for people: 422 validation details one per field
/// (<c>/healthChecks(0)/portIndex: ...</c>), 409 with the deployments in the way, else the message.
/// </summary>
internal static class MarathonErrors
{
    public static string Describe(MarathonResponse response)
    {
        if (response.Failure is not null)
        {
            return response.Failure;
        }

        var text = new StringBuilder();
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(response.Body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                message = m.GetString();
            }

            text.Append(response.Status switch
            {
                422 => $"refused (422 {message ?? "Object is not valid"})",
                409 => $"conflict (409 {message ?? "locked by a deployment"})",
                404 => $"not found (404{(message is null ? string.Empty : " " + message)})",
                _ => $"HTTP {response.Status}{(message is null ? string.Empty : ": " + message)}",
            });
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    string path = detail.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "/";
                    if (detail.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var error in errors.EnumerateArray())
                        {
                            text.Append($"\n  {path}: {error}");
                        }
                    }
                }
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("deployments", out var deployments) && deployments.ValueKind == JsonValueKind.Array)
            {
                foreach (var deployment in deployments.EnumerateArray())
                {
                    if (deployment.TryGetProperty("id", out var id))
                    {
                        text.Append($"\n  deployment in progress: {id} (wait for it, pass --force, or roll it back with DELETE /v2/deployments/{id})");
                    }
                }
            }
        }
        catch (JsonException)
        {
            text.Append($"HTTP {response.Status}");
            if (response.Body.Length > 0)
            {
                text.Append(": ").Append(response.Body.Length > 500 ? response.Body[..500] + "..." : response.Body);
            }
        }

        return text.ToString();
    }
}
