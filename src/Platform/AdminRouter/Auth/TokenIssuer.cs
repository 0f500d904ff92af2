using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>Mints the <c>{uid, exp}</c> tokens login answers (the payload the DC/OS 1.13 docs describe).</summary>
internal sealed class TokenIssuer(TokenKeys keys, TimeProvider time, TimeSpan lifetime)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => lifetime;

    public string Issue(string uid)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["uid"] = uid },
            Expires = now + lifetime,
            SigningCredentials = keys.Signing,
        });
    }

    /// <summary>The claims principal's uid, as the validated token carried it.</summary>
    public static string? UidOf(ClaimsPrincipal user) => user.FindFirst("uid")?.Value;
}
