using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.Packages.Model;
using Minuet.Platform.Packages.Rendering;
using Minuet.Platform.Packages.Repositories;

namespace Minuet.Platform.Packages.Service;

/// <summary>
/// Cosmos's RPC-over-HTTP API: every call a POST whose Content-Type is the call's request media type (v1) and whose
/// Accept names a version of its response type, answered in that type; errors as
/// <c>application/vnd.dcos.package.error+json</c> <c>{type, message, data}</c>. <c>GET /capabilities</c> too.
/// </summary>
internal static class CosmosApi
{
    private const int MaxBody = 1024 * 1024;

    private delegate Task<Outcome<JsonObject>> Call(JsonObject body, string version, CancellationToken cancellationToken);

    public static void Map(WebApplication app, PackageQueries queries, PackageInstaller installer, RepositoryListStore repositories, string? localRepository)
    {
        MapCall(app, "/package/search", "search", ["v1"], (b, _, c) => queries.SearchAsync(b, c));
        MapCall(app, "/package/describe", "describe", ["v1", "v2", "v3"], queries.DescribeAsync);
        MapCall(app, "/package/list-versions", "list-versions", ["v1"], (b, _, c) => queries.ListVersionsAsync(b, c));
        MapCall(app, "/package/render", "render", ["v1"], (b, _, c) => installer.RenderAsync(b, c));
        MapCall(app, "/package/install", "install", ["v1", "v2"], installer.InstallAsync);
        MapCall(app, "/package/uninstall", "uninstall", ["v1"], (b, _, c) => installer.UninstallAsync(b, c));
        MapCall(app, "/package/list", "list", ["v1"], (b, _, c) => installer.ListAsync(b, c));
        MapCall(app, "/package/repository/list", "repository.list", ["v1"], (_, _, _) => Task.FromResult<Outcome<JsonObject>>(RepositoryListStore.ToJson(repositories.List())));
        MapCall(app, "/package/repository/add", "repository.add", ["v1"], (b, _, _) => Task.FromResult(AddRepository(repositories, b)));
        MapCall(app, "/package/repository/delete", "repository.delete", ["v1"], (b, _, _) => Task.FromResult(DeleteRepository(repositories, b)));
        app.MapGet("/capabilities", async context =>
        {
            if (MediaTypes.Choose(context.Request.Headers.Accept.ToString(), [MediaTypes.CapabilitiesType]) is null)
            {
                await WriteErrorAsync(context, NotAcceptable(context.Request.Headers.Accept.ToString(), [MediaTypes.CapabilitiesType])).ConfigureAwait(false);
                return;
            }

            var body = new JsonObject { ["capabilities"] = new JsonArray(new JsonObject { ["name"] = "PACKAGE_MANAGEMENT" }) };
            await WriteAsync(context, 200, MediaTypes.CapabilitiesType, body).ConfigureAwait(false);
        });
        if (localRepository is not null)
        {
            app.MapGet("/repo", context =>
            {
                context.Response.ContentType = Build.UniverseBuilder.MediaTypeV4;
                return context.Response.WriteAsync(localRepository, Encoding.UTF8, context.RequestAborted);
            });
        }

        app.MapGet("/health", context => context.Response.WriteAsync("ok", context.RequestAborted));
    }

    private static void MapCall(WebApplication app, string path, string kind, string[] versions, Call call)
    {
        string requestType = MediaTypes.Of(kind + "-request", "v1");
        string[] responseTypes = versions.Select(v => MediaTypes.Of(kind + "-response", v)).ToArray();
        app.MapPost(path, async context =>
        {
            string? contentType = context.Request.ContentType;
            if (!MediaTypes.Matches(contentType, requestType))
            {
                var data = new JsonObject { ["supported"] = new JsonArray(JsonValue.Create(requestType)) };
                if (!string.IsNullOrEmpty(contentType))
                {
                    data["actual"] = contentType;
                }

                await WriteErrorAsync(context, new CosmosError("UnsupportedContentType",
                    string.IsNullOrEmpty(contentType) ? $"Unspecified Content-Type Accept: [{requestType}]" : $"Unsupported Content-Type: {contentType} Accept: [{requestType}]",
                    data)).ConfigureAwait(false);
                return;
            }

            string accept = context.Request.Headers.Accept.ToString();
            string? chosen = MediaTypes.Choose(accept, responseTypes);
            if (chosen is null)
            {
                await WriteErrorAsync(context, NotAcceptable(accept, responseTypes)).ConfigureAwait(false);
                return;
            }

            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                await WriteErrorAsync(context, body.Error).ConfigureAwait(false);
                return;
            }

            string version = MediaTypes.TryParse(chosen, out var chosenType) ? chosenType.Version ?? "v1" : "v1";
            var result = await call(body.Value, version, context.RequestAborted).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                await WriteAsync(context, 200, chosen, result.Value).ConfigureAwait(false);
            }
            else
            {
                await WriteErrorAsync(context, result.Error).ConfigureAwait(false);
            }
        });
    }

    private static CosmosError NotAcceptable(string accept, IReadOnlyList<string> offered) =>
        new("NotValid",
            $"Item 'header 'Accept'' deemed invalid by rule: 'should match one of: {string.Join(", ", offered)}'" + (accept.Length == 0 ? " (no Accept header was sent)" : $" (got {accept})"),
            new JsonObject { ["supported"] = new JsonArray(offered.Select(o => (JsonNode)JsonValue.Create(o)).ToArray()), ["actual"] = accept });

    private static async Task<Outcome<JsonObject>> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBody)
        {
            return CosmosErrors.InvalidBody($"larger than {MaxBody} bytes");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBody)
        {
            return CosmosErrors.InvalidBody($"larger than {MaxBody} bytes");
        }

        if (buffer.Length == 0)
        {
            return new JsonObject();
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) is JsonObject o ? o : CosmosErrors.InvalidBody("the body must be a JSON object");
        }
        catch (JsonException e)
        {
            return CosmosErrors.InvalidBody("not JSON: " + e.Message);
        }
    }

    private static Outcome<JsonObject> AddRepository(RepositoryListStore store, JsonObject body)
    {
        var name = RequestFields.RequiredString(body, "name");
        var uri = RequestFields.RequiredString(body, "uri");
        if (!name.IsSuccess || !uri.IsSuccess)
        {
            return name.Error ?? uri.Error!;
        }

        int? index = null;
        if (body["index"] is { } i)
        {
            if (i is not JsonValue v || !v.TryGetValue(out int at))
            {
                return new CosmosError("NotValid", "Item 'index' is not valid: it must be an integer", new JsonObject { ["field"] = "index" });
            }

            index = at;
        }

        var result = store.Add(name.Value, uri.Value, index);
        return result.IsSuccess ? RepositoryListStore.ToJson(result.Value) : result.Error;
    }

    private static Outcome<JsonObject> DeleteRepository(RepositoryListStore store, JsonObject body)
    {
        var name = RequestFields.OptionalString(body, "name");
        var uri = RequestFields.OptionalString(body, "uri");
        if (!name.IsSuccess || !uri.IsSuccess)
        {
            return name.Error ?? uri.Error!;
        }

        if (name.Value is null && uri.Value is null)
        {
            return new CosmosError("RepoNameOrUriMissing", "Must specify either the name or URI of the repository");
        }

        var result = store.Delete(name.Value, uri.Value);
        return result.IsSuccess ? RepositoryListStore.ToJson(result.Value) : result.Error;
    }

    private static Task WriteErrorAsync(HttpContext context, CosmosError error) => WriteAsync(context, error.Status, MediaTypes.ErrorType, error.ToJson());

    private static async Task WriteAsync(HttpContext context, int status, string contentType, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(CosmosJson.Print(body), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }
}
