using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>
/// ASP.NET Core's JWT bearer handler set up as Admin Router validates: the token from <see cref="TokenSource"/>,
/// exactly one algorithm (so neither <c>alg: none</c> nor an HS256 token keyed with the RS256 public key passes),
/// no issuer or audience, <c>exp</c> optional but enforced when present with little skew, and <c>uid</c> required.
/// </summary>
internal static class JwtSetup
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static void Add(IServiceCollection services, TokenKeys keys, TimeProvider time)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TimeProvider = time;
            options.TokenValidationParameters = Parameters(keys, time);
            options.Events = new JwtBearerEvents
            {
                OnMessageReceived = context =>
                {
                    string? token = TokenSource.Read(context.Request, out string? problem);
                    if (problem is not null)
                    {
                        context.Fail(problem);
                    }
                    else if (token is null)
                    {
                        context.NoResult();
                    }
                    else
                    {
                        context.Token = token;
                    }

                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    if (string.IsNullOrEmpty(context.Principal?.FindFirst("uid")?.Value))
                    {
                        context.Fail("the token has no uid claim");
                    }

                    return Task.CompletedTask;
                },
            };
        });
    }

    public static TokenValidationParameters Parameters(TokenKeys keys, TimeProvider time) => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = false,
        RequireSignedTokens = true,
        ValidAlgorithms = [keys.Algorithm],
        IssuerSigningKey = keys.Key,
        ValidateIssuerSigningKey = true,
        ClockSkew = ClockSkew,
        LifetimeValidator = (notBefore, expires, _, _) =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            return (expires is null || expires.Value + ClockSkew > now) && (notBefore is null || notBefore.Value - ClockSkew <= now);
        },
    };
}
