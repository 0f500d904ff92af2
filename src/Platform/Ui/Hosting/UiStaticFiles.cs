using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.Ui.Hosting;

/// <summary>
/// Answers the UI's own paths: <c>/</c> (and <c>/index.html</c>) with the page, <c>/assets/*</c> with the bundle.
/// Pages are routed in the URL fragment (<c>/#/services</c>), so no other path needs the page. The shell is public,
/// as DC/OS's was: it holds no data, and every API call it makes carries the login cookie or is refused.
/// Names are not content-hashed, so every answer is revalidated (ETag, 304) rather than cached blind.
/// </summary>
internal static class UiStaticFiles
{
    /// <summary>True when <paramref name="path"/> is the UI's (the caller then lets <see cref="ServeAsync"/> answer).</summary>
    public static bool Owns(string path) => path is "/" or "/index.html" || path.StartsWith("/assets/", StringComparison.Ordinal);

    public static Task ServeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = context.Request.Path.Value ?? "/";
        var asset = UiAssets.Find(path == "/" ? "/index.html" : path);
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return Task.CompletedTask;
        }

        if (asset is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            return response.WriteAsync(UiAssets.All.Count == 0 ? "404 Not Found: this build has no UI bundle.\n" : "404 Not Found.\n", context.RequestAborted);
        }

        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content, context.RequestAborted).AsTask();
    }
}
