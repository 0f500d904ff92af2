using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Marathon;

/// <summary>The Marathon <c>/v2/apps</c> calls the package service makes, with Marathon's answers mapped as Cosmos maps them.</summary>
internal sealed class MarathonApps
{
    private readonly HttpClient _http;
    private readonly Uri _baseUrl;

    public MarathonApps(HttpClient http, Uri baseUrl)
    {
        _http = http;
        _baseUrl = baseUrl;
    }

    /// <summary>POST /v2/apps: 409 → PackageAlreadyInstalled, other 4xx → MarathonBadResponse (passed through), 5xx → 502.</summary>
    public async Task<Outcome<JsonObject>> CreateAsync(JsonObject app, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Post, "v2/apps", app.ToJsonString(), cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        var (status, body) = answer.Value;
        return status switch
        {
            >= 200 and < 300 => JsonNode.Parse(body) as JsonObject ?? new JsonObject(),
            409 => CosmosErrors.PackageAlreadyInstalled(),
            >= 400 and < 500 => CosmosErrors.MarathonBadResponse(status, body),
            _ => CosmosErrors.MarathonBadGateway(status),
        };
    }

    /// <summary>Every app (with its labels).</summary>
    public async Task<Outcome<IReadOnlyList<JsonObject>>> ListAsync(CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, "v2/apps", null, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        var (status, body) = answer.Value;
        if (status != 200)
        {
            return status >= 500 ? CosmosErrors.MarathonBadGateway(status) : CosmosErrors.MarathonBadResponse(status, body);
        }

        try
        {
            return (JsonNode.Parse(body)?["apps"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        }
        catch (JsonException)
        {
            return CosmosErrors.MarathonBadGateway(status);
        }
    }

    /// <summary>DELETE /v2/apps/ID?force=true (as Cosmos does, so a running deployment does not block the uninstall).</summary>
    public async Task<CosmosError?> DeleteAsync(string appId, CancellationToken cancellationToken)
    {
        string path = "v2/apps/" + string.Join('/', appId.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString)) + "?force=true";
        var answer = await SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            return answer.Error;
        }

        var (status, body) = answer.Value;
        return status switch
        {
            >= 200 and < 300 => null,
            >= 400 and < 500 => CosmosErrors.MarathonBadResponse(status, body),
            _ => CosmosErrors.MarathonBadGateway(status),
        };
    }

    private async Task<Outcome<(int Status, string Body)>> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (HttpRequestException e)
        {
            return CosmosErrors.ServiceUnavailable("marathon", e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CosmosErrors.ServiceUnavailable("marathon", "timed out");
        }
    }
}
