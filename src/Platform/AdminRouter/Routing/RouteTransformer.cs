using Microsoft.AspNetCore.Http;
using Minuet.Platform.AdminRouter.Auth;
using Yarp.ReverseProxy.Forwarder;

namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// What nginx's <c>location</c> blocks did to one forwarded request: the path rebuilt under the upstream's prefix,
/// a cookie-borne token copied upstream as <c>Authorization: token=</c> (Admin Router's <c>auth.lua</c>), DC/OS's own
/// cookies kept from the upstream, and, on the way back, <c>Location</c> rewritten under the public prefix
/// (<c>proxy_redirect</c>; YARP does not do it).
/// </summary>
internal sealed class RouteTransformer(Uri upstream, string publicPrefix, string upstreamPrefix, string upstreamPath, string? cookieToken, bool clearAcceptEncoding) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, new PathString(upstreamPath), httpContext.Request.QueryString);
        proxyRequest.Headers.Host = null;
        if (cookieToken is not null)
        {
            proxyRequest.Headers.Remove("Authorization");
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", "token=" + cookieToken);
        }

        if (clearAcceptEncoding)
        {
            proxyRequest.Headers.AcceptEncoding.Clear();
        }

        if (proxyRequest.Headers.TryGetValues("Cookie", out var cookies))
        {
            string kept = StripDcosCookies(string.Join("; ", cookies));
            proxyRequest.Headers.Remove("Cookie");
            if (kept.Length > 0)
            {
                proxyRequest.Headers.TryAddWithoutValidation("Cookie", kept);
            }
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        bool proceed = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        var headers = httpContext.Response.Headers;
        if (headers.Location is { Count: 1 } location && RewriteLocation(location[0]!) is { } rewritten)
        {
            headers.Location = rewritten;
        }

        return proceed;
    }

    /// <summary>
    /// <c>/x</c> or <c>http://upstream/x</c> under the upstream's prefix becomes <c>publicPrefix + x</c>; other
    /// locations (another host, another prefix) are left alone. Null: leave it.
    /// </summary>
    internal string? RewriteLocation(string location)
    {
        string path;
        if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal))
        {
            path = location;
        }
        else if (Uri.TryCreate(location, UriKind.Absolute, out var absolute)
            && string.Equals(absolute.GetLeftPart(UriPartial.Authority), upstream.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            path = absolute.PathAndQuery + absolute.Fragment;
        }
        else
        {
            return null;
        }

        return path.StartsWith(upstreamPrefix, StringComparison.Ordinal) ? publicPrefix + path[upstreamPrefix.Length..] : null;
    }

    internal static string StripDcosCookies(string header)
    {
        var kept = header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(c => !c.StartsWith(TokenSource.CookieName + "=", StringComparison.Ordinal) && !c.StartsWith(TokenSource.InfoCookieName + "=", StringComparison.Ordinal));
        return string.Join("; ", kept);
    }

}
