using System.Net;
using System.Text;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>The issue's attack list: every forged, stale or ambiguous credential is a 401 <c>oauthjwt</c> and reaches no upstream.</summary>
public sealed class AuthAttackTests
{
    private const string Probe = "/v2/attack-probe";

    [Fact]
    public async Task Request_NoToken_401OauthjwtAndNothingProxied()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_ExpiredToken_401()
    {
        await using var r = await TestRouter.StartAsync();
        string token = AttackTokens.WithRouterKey(r.StateDir, new Dictionary<string, object> { ["uid"] = "alice" }, DateTime.UtcNow.AddHours(-1));
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_TokenAcceptedThenExpired_401DespiteValidationCache()
    {
        await using var r = await TestRouter.StartAsync();
        string token = r.Token("alice");
        using (var first = await r.Client.SendAsync(TestRouter.Get("/marathon/v2/ok", token)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        r.Time.Now += r.Host.Issuer.Lifetime + TimeSpan.FromMinutes(2);
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_TokenFromAnotherKey_401()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, AttackTokens.OtherKey("alice")));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_AlgNone_401()
    {
        await using var r = await TestRouter.StartAsync();
        string token = AttackTokens.AlgNone($"{{\"uid\":\"alice\",\"exp\":{AttackTokens.Exp(DateTimeOffset.UtcNow.AddHours(1))}}}");
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_Hs256SignedWithRs256PublicKey_401()
    {
        await using var r = await TestRouter.StartAsync();
        byte[] publicPem = File.ReadAllBytes(Path.Combine(r.StateDir, "auth", "jwt-verification-key.pem"));
        string token = AttackTokens.Hs256($"{{\"uid\":\"alice\",\"exp\":{AttackTokens.Exp(DateTimeOffset.UtcNow.AddHours(1))}}}", publicPem);
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_TamperedPayload_401()
    {
        await using var r = await TestRouter.StartAsync();
        string token = AttackTokens.Tampered(r.Token("bob"), $"{{\"uid\":\"admin\",\"exp\":{AttackTokens.Exp(DateTimeOffset.UtcNow.AddHours(1))}}}");
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_TokenWithoutUid_401()
    {
        await using var r = await TestRouter.StartAsync();
        string token = AttackTokens.WithRouterKey(r.StateDir, new Dictionary<string, object> { ["sub"] = "alice" }, DateTime.UtcNow.AddHours(1));
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe, token));
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_CookieAndHeaderDisagree_401()
    {
        await using var r = await TestRouter.StartAsync();
        var request = TestRouter.Get("/marathon" + Probe, r.Token("alice"));
        request.Headers.TryAddWithoutValidation("Cookie", "dcos-acs-auth-cookie=" + r.Token("mallory"));
        using var response = await r.Client.SendAsync(request);
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_UnknownAuthorizationScheme_401()
    {
        await using var r = await TestRouter.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/marathon" + Probe);
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("alice:x")));
        using var response = await r.Client.SendAsync(request);
        await AssertRefusedAsync(r, response);
    }

    [Fact]
    public async Task Request_ValidTokenInEachForm_Proxied()
    {
        await using var r = await TestRouter.StartAsync();
        string token = r.Token("alice");
        using (var response = await r.Client.SendAsync(TestRouter.Get("/marathon/v2/a", token)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var bearer = new HttpRequestMessage(HttpMethod.Get, "/marathon/v2/b");
        bearer.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using (var response = await r.Client.SendAsync(bearer))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var cookie = new HttpRequestMessage(HttpMethod.Get, "/marathon/v2/c");
        cookie.Headers.TryAddWithoutValidation("Cookie", "dcos-acs-auth-cookie=" + token + "; other=1");
        using (var response = await r.Client.SendAsync(cookie))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The cookie's token goes upstream as DC/OS's header; DC/OS's own cookies do not.
        var seen = r.Marathon.Seen.Single(s => s.Target == "/v2/c");
        Assert.Equal("token=" + token, seen.Authorization);
        Assert.Equal("other=1", seen.Cookie);
    }

    [Fact]
    public async Task Request_AuthOff_ProxiedWithoutToken()
    {
        await using var r = await TestRouter.StartAsync(o => o with { Auth = false });
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon" + Probe));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(r.AnyUpstreamSaw(Probe));
    }

    private static async Task AssertRefusedAsync(TestRouter r, HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("oauthjwt", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(r.AnyUpstreamSaw(Probe), "a refused request reached an upstream");
    }
}
