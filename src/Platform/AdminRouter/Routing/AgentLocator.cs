using System.Text.Json;

namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// Finds an agent's HTTP address by its id for DC/OS's <c>/agent/&lt;id&gt;/</c> route: the leading master's
/// <c>/master/slaves</c>, the agent's <c>pid</c> (<c>slave(1)@ip:port</c>). Asked per request: the route serves
/// people reading sandboxes, not a hot path, and an agent that moved is then found at once.
/// </summary>
internal static class AgentLocator
{
    /// <summary>Agent ids as Mesos makes them (<c>uuid-S0</c>); anything else is not looked up at all.</summary>
    public static bool IsId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > 128)
        {
            return false;
        }

        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    public static async Task<Uri?> FindAsync(HttpMessageInvoker http, Uri master, string id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(master, "/master/slaves"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false), cancellationToken: timeout.Token).ConfigureAwait(false);
            return Parse(doc.RootElement, id);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    internal static Uri? Parse(JsonElement root, string id)
    {
        if (!root.TryGetProperty("slaves", out var slaves) || slaves.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var agent in slaves.EnumerateArray())
        {
            if (agent.TryGetProperty("id", out var aid) && aid.ValueEquals(id)
                && agent.TryGetProperty("pid", out var pid) && pid.GetString() is { } text
                && text.IndexOf('@', StringComparison.Ordinal) is var at and >= 0
                && Uri.TryCreate("http://" + text[(at + 1)..] + "/", UriKind.Absolute, out var url))
            {
                return url;
            }
        }

        return null;
    }
}
