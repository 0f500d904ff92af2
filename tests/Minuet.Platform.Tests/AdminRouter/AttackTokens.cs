using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>Hand-made tokens for the attack list, each one byte-for-byte what an attacker would send.</summary>
internal static class AttackTokens
{
    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Base64Url(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    public static long Exp(DateTimeOffset at) => at.ToUnixTimeSeconds();

    /// <summary><c>alg: none</c>, empty signature.</summary>
    public static string AlgNone(string payloadJson) => Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Base64Url(payloadJson) + ".";

    /// <summary>HS256 keyed with <paramref name="secret"/> (for algorithm confusion: the router's RS256 public key PEM).</summary>
    public static string Hs256(string payloadJson, byte[] secret)
    {
        string signingInput = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + Base64Url(payloadJson);
        return signingInput + "." + Base64Url(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>RS256 signed with a key of the attacker's own.</summary>
    public static string OtherKey(string uid)
    {
        using var rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "rs256" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["uid"] = uid },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A real token whose payload is replaced (the signature left as it was).</summary>
    public static string Tampered(string realToken, string payloadJson)
    {
        string[] parts = realToken.Split('.');
        return parts[0] + "." + Base64Url(payloadJson) + "." + parts[2];
    }

    /// <summary>Signed with the router's own private key (read from its state dir), any payload.</summary>
    public static string WithRouterKey(string stateDir, IDictionary<string, object> claims, DateTime? expires)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(stateDir, "auth", "jwt-signing-key.pem")));
        var key = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "rs256" };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = expires,
            IssuedAt = expires is null ? null : expires.Value.AddHours(-2),
            NotBefore = expires is null ? null : expires.Value.AddHours(-2),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
