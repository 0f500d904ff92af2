using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>
/// Where a request's token comes from, as Admin Router reads it: the <c>Authorization</c> header as
/// <c>token=&lt;jwt&gt;</c> (DC/OS) or <c>Bearer &lt;jwt&gt;</c> (1.11+); the <c>dcos-acs-auth-cookie</c> cookie only when no header is
/// sent. A header of another form, or a header and a cookie carrying different tokens, is refused: two credentials
/// that disagree mean something is wrong, and guessing which one counts is how confusion bugs start.
/// </summary>
internal static class TokenSource
{
    public const string CookieName = "dcos-acs-auth-cookie";
    public const string InfoCookieName = "dcos-acs-info-cookie";

    /// <summary>The token, or null with the reason (null reason: no credentials at all).</summary>
    public static string? Read(HttpRequest request, out string? problem)
    {
        problem = null;
        string? cookie = request.Cookies.TryGetValue(CookieName, out var c) && c.Length > 0 ? c : null;
        var headers = request.Headers.Authorization;
        if (headers.Count == 0)
        {
            return cookie;
        }

        if (headers.Count > 1)
        {
            problem = "more than one Authorization header";
            return null;
        }

        string header = headers[0] ?? string.Empty;
        string? token = header.StartsWith("token=", StringComparison.Ordinal) ? header["token=".Length..]
            : header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : null;
        if (string.IsNullOrEmpty(token))
        {
            problem = "Authorization must be \"token=<jwt>\" or \"Bearer <jwt>\"";
            return null;
        }

        if (cookie is not null && !string.Equals(cookie, token, StringComparison.Ordinal))
        {
            problem = "the Authorization header and the " + CookieName + " cookie carry different tokens";
            return null;
        }

        return token;
    }
}
