using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>Login, the first-user bootstrap, per-user throttling and the users API.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task Login_EmptyStore_BootstrapsFirstUserAndIssuesWorkingToken()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await LoginAsync(r, "alice", "correct horse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dcos-acs-auth-cookie=" + token, StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        using var proxied = await r.Client.SendAsync(TestRouter.Get("/marathon/v2/info", token));
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);

        // The store now has a user: a second name is not bootstrapped.
        using var second = await LoginAsync(r, "mallory", "whatever123");
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UserStore_KeepsHashNotPassword_FileIsPrivate()
    {
        await using var r = await TestRouter.StartAsync();
        (await LoginAsync(r, "alice", "correct horse")).Dispose();
        string path = Path.Combine(r.StateDir, "auth", "users.json");
        string text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain("correct horse", text, StringComparison.Ordinal);
        Assert.Contains("pbkdf2-sha256$", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(r.StateDir, "auth", "jwt-signing-key.pem")));
    }

    [Fact]
    public async Task Login_RepeatedFailures_ThrottledWith429AndRetryAfter_EvenForRightPassword()
    {
        await using var r = await TestRouter.StartAsync();
        (await LoginAsync(r, "alice", "correct horse")).Dispose();
        for (int i = 0; i < Minuet.Platform.AdminRouter.Users.LoginThrottle.FreeFailures + 1; i++)
        {
            using var wrong = await LoginAsync(r, "alice", "wrong password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await LoginAsync(r, "alice", "correct horse");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);

        // Another user is not affected; once the lock passes, the right password works again.
        r.Time.Now += TimeSpan.FromSeconds(2);
        using var after = await LoginAsync(r, "alice", "correct horse");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Login_BadBodies_400NamingTheField()
    {
        await using var r = await TestRouter.StartAsync();
        using var notJson = await r.Client.PostAsync("/acs/api/v1/auth/login", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        using var noPassword = await r.Client.PostAsJsonAsync("/acs/api/v1/auth/login", new { uid = "alice" });
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.StatusCode);
        Assert.Contains("password", await noPassword.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_ListAddRemove_NeedsTokenAndWorks()
    {
        await using var r = await TestRouter.StartAsync();
        using (var anonymous = await r.Client.SendAsync(TestRouter.Get("/acs/api/v1/users")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        string token = r.Token("admin");
        Assert.Null(r.Host.Users.Put("carol", "carols password", "keeps the store non-empty"));
        var put = new HttpRequestMessage(HttpMethod.Put, "/acs/api/v1/users/bob") { Content = JsonContent.Create(new { password = "bobs password", description = "Bob" }) };
        put.Headers.TryAddWithoutValidation("Authorization", "token=" + token);
        using (var created = await r.Client.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using (var list = await r.Client.SendAsync(TestRouter.Get("/acs/api/v1/users", token)))
        {
            Assert.Contains("\"uid\":\"bob\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var login = await LoginAsync(r, "bob", "bobs password"))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/acs/api/v1/users/bob");
        delete.Headers.TryAddWithoutValidation("Authorization", "token=" + token);
        using (var removed = await r.Client.SendAsync(delete))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using var gone = await LoginAsync(r, "bob", "bobs password");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Fact]
    public async Task Logout_ExpiresCookies()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/acs/api/v1/auth/logout"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dcos-acs-auth-cookie=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> LoginAsync(TestRouter r, string uid, string password) =>
        r.Client.PostAsJsonAsync("/acs/api/v1/auth/login", new { uid, password });
}
