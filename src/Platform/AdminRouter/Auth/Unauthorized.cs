using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>Open DC/OS's refusal: 401, <c>WWW-Authenticate: oauthjwt</c>, an HTML page (never JSON, never 403).</summary>
internal static class Unauthorized
{
    private const string Body =
        "<html><head><title>401 Unauthorized</title></head><body><h1>401 Unauthorized</h1>" +
        "<p>Log in first: <code>./minuet auth login</code>, then send <code>Authorization: token=&lt;jwt&gt;</code>.</p></body></html>\n";

    public static Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "oauthjwt";
        context.Response.ContentType = "text/html; charset=UTF-8";
        return context.Response.WriteAsync(Body, context.RequestAborted);
    }
}
