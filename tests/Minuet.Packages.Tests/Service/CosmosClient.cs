using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Minuet.Packages.Tests.Service;

/// <summary>Cosmos calls as dcos-cli makes them: the call's request and response media types.</summary>
internal static class CosmosClient
{
    public static async Task<(HttpStatusCode Status, JsonObject Body, string? ContentType)> CallAsync(HttpClient http, string path, string kind, JsonObject body, string version = "v1")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "package/" + path);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/vnd.dcos.package.{kind}-request+json;charset=utf-8;version=v1");
        request.Headers.TryAddWithoutValidation("Accept", $"application/vnd.dcos.package.{kind}-response+json;charset=utf-8;version={version}");
        using var response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, (JsonObject)JsonNode.Parse(text)!, response.Content.Headers.ContentType?.ToString());
    }

    public static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;
}
