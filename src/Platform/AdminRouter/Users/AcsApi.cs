using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Minuet.Platform.AdminRouter.Auth;

namespace Minuet.Platform.AdminRouter.Users;

/// <summary>
/// The part of dcos-oauth's <c>/acs/api/v1</c> Minuet serves itself: <c>POST auth/login</c> with
/// <c>{"uid","password"}</c> answering <c>{"token"}</c> and setting the cookies, <c>GET auth/logout</c> expiring them,
/// and <c>users</c> (list; <c>PUT users/UID</c> with <c>{"password","description"}</c>; <c>DELETE users/UID</c>).
/// The first login against an empty store creates that user, as DC/OS's first login did.
/// </summary>
internal sealed class AcsApi(UserStore users, LoginThrottle throttle, TokenIssuer issuer)
{
    public const string LoginPath = "/acs/api/v1/auth/login";
    public const string LogoutPath = "/acs/api/v1/auth/logout";
    public const string UsersPath = "/acs/api/v1/users";

    /// <summary>The cookie's max-age DC/OS set (4.5 days, under the token's 5).</summary>
    private static readonly TimeSpan CookieAge = TimeSpan.FromSeconds(388_800);

    public async Task LoginAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await ReplyAsync(context, 405, "login takes POST with {\"uid\",\"password\"}").ConfigureAwait(false);
            return;
        }

        string? uid;
        string? password;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            uid = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("uid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            password = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        }
        catch (JsonException e)
        {
            await ReplyAsync(context, 400, "body: not valid JSON: " + e.Message).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(uid) || password is null)
        {
            await ReplyAsync(context, 400, "body: needs \"uid\" and \"password\" strings").ConfigureAwait(false);
            return;
        }

        var wait = throttle.RetryAfter(uid);
        if (wait > TimeSpan.Zero)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await ReplyAsync(context, 429, $"too many failed logins for {uid}; try again in {Math.Ceiling(wait.TotalSeconds)} s").ConfigureAwait(false);
            return;
        }

        bool ok = users.Verify(uid, password) || (users.IsEmpty && users.TryBootstrap(uid, password));
        if (!ok)
        {
            throttle.Failed(uid);
            await ReplyAsync(context, 401, "login failed: unknown user or wrong password").ConfigureAwait(false);
            return;
        }

        throttle.Succeeded(uid);
        string token = issuer.Issue(uid);
        var cookie = new CookieOptions { HttpOnly = true, Path = "/", MaxAge = CookieAge, SameSite = SameSiteMode.Strict };
        context.Response.Cookies.Append(TokenSource.CookieName, token, cookie);
        string info = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["uid"] = uid, ["description"] = users.Find(uid)?.Description ?? string.Empty })))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        context.Response.Cookies.Append(TokenSource.InfoCookieName, info, new CookieOptions { Path = "/", MaxAge = CookieAge, SameSite = SameSiteMode.Strict });
        await WriteJsonAsync(context, 200, new Dictionary<string, string> { ["token"] = token }).ConfigureAwait(false);
    }

    public static Task LogoutAsync(HttpContext context)
    {
        context.Response.Cookies.Delete(TokenSource.CookieName, new CookieOptions { Path = "/" });
        context.Response.Cookies.Delete(TokenSource.InfoCookieName, new CookieOptions { Path = "/" });
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    /// <summary><c>/acs/api/v1/users[/UID]</c>, already authenticated.</summary>
    public async Task UsersAsync(HttpContext context, string rest)
    {
        string method = context.Request.Method;
        if (rest.Length == 0)
        {
            if (!HttpMethods.IsGet(method))
            {
                await ReplyAsync(context, 405, "GET lists users; PUT or DELETE /acs/api/v1/users/UID").ConfigureAwait(false);
                return;
            }

            var list = users.List().Select(u => new Dictionary<string, string> { ["uid"] = u.Uid, ["description"] = u.Description, ["url"] = UsersPath + "/" + u.Uid });
            await WriteJsonAsync(context, 200, new Dictionary<string, object> { ["array"] = list.ToList() }).ConfigureAwait(false);
            return;
        }

        string uid = Uri.UnescapeDataString(rest);
        if (UserStore.CheckUid(uid) is { } bad)
        {
            await ReplyAsync(context, 400, bad).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(method))
        {
            if (users.Find(uid) is { } user)
            {
                await WriteJsonAsync(context, 200, new Dictionary<string, string> { ["uid"] = user.Uid, ["description"] = user.Description }).ConfigureAwait(false);
            }
            else
            {
                await ReplyAsync(context, 404, $"user {uid} not found").ConfigureAwait(false);
            }
        }
        else if (HttpMethods.IsPut(method))
        {
            string? password = null;
            string description = string.Empty;
            try
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                if (doc.RootElement.ValueKind == JsonValueKind.Object)
                {
                    password = doc.RootElement.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                    description = doc.RootElement.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? string.Empty : string.Empty;
                }
            }
            catch (JsonException e)
            {
                await ReplyAsync(context, 400, "body: not valid JSON: " + e.Message).ConfigureAwait(false);
                return;
            }

            if (password is null)
            {
                await ReplyAsync(context, 400, "password: required (a string of at least 8 characters)").ConfigureAwait(false);
                return;
            }

            bool existed = users.Find(uid) is not null;
            if (users.Put(uid, password, description) is { } refused)
            {
                await ReplyAsync(context, 400, refused).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = existed ? 204 : 201;
        }
        else if (HttpMethods.IsDelete(method))
        {
            if (users.Remove(uid))
            {
                context.Response.StatusCode = 204;
            }
            else
            {
                await ReplyAsync(context, 404, $"user {uid} not found").ConfigureAwait(false);
            }
        }
        else
        {
            await ReplyAsync(context, 405, "GET, PUT or DELETE /acs/api/v1/users/UID").ConfigureAwait(false);
        }
    }

    private static Task ReplyAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, status, new Dictionary<string, string> { ["title"] = ReasonOf(status), ["description"] = message });

    private static string ReasonOf(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        _ => "Error",
    };

    private static async Task WriteJsonAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted).ConfigureAwait(false);
    }
}
