using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>
/// The key tokens are signed and checked with, and the one algorithm accepted. RS256 by default: a 2048-bit key
/// pair made on first start under <c>&lt;state-dir&gt;/auth</c> (private key mode 0600, as DC/OS 1.13+ does with its IAM
/// key). With a secret file, HS256 with that secret (DC/OS 1.8-1.12's shared secret); Microsoft.IdentityModel
/// refuses HS256 keys under 256 bits, so a shorter secret is refused here with a clear reason.
/// </summary>
internal sealed class TokenKeys
{
    public const string PrivateKeyFile = "jwt-signing-key.pem";
    public const string PublicKeyFile = "jwt-verification-key.pem";

    private TokenKeys(SecurityKey key, string algorithm)
    {
        Key = key;
        Algorithm = algorithm;
    }

    public SecurityKey Key { get; }

    /// <summary><c>RS256</c> or <c>HS256</c>: the only one validation accepts.</summary>
    public string Algorithm { get; }

    public SigningCredentials Signing => new(Key, Algorithm);

    /// <summary>Loads (or, for RS256, creates) the key; the error names what is wrong.</summary>
    public static TokenKeys? Load(string keyDir, string? secretFile, out string? error)
    {
        error = null;
        try
        {
            if (secretFile is not null)
            {
                byte[] secret = Encoding.UTF8.GetBytes(File.ReadAllText(secretFile).Trim());
                if (secret.Length < 32)
                {
                    error = $"--auth-secret-file: {secretFile} holds {secret.Length} bytes; HS256 needs at least 32 (DC/OS used 64 random letters)";
                    return null;
                }

                return new TokenKeys(new SymmetricSecurityKey(secret) { KeyId = "hs256" }, SecurityAlgorithms.HmacSha256);
            }

            Directory.CreateDirectory(keyDir);
            string privatePath = Path.Combine(keyDir, PrivateKeyFile);
            var rsa = RSA.Create();
            if (File.Exists(privatePath))
            {
                rsa.ImportFromPem(File.ReadAllText(privatePath));
            }
            else
            {
                rsa.KeySize = 2048;
                WritePrivate(privatePath, rsa.ExportPkcs8PrivateKeyPem());
                File.WriteAllText(Path.Combine(keyDir, PublicKeyFile), rsa.ExportSubjectPublicKeyInfoPem());
            }

            return new TokenKeys(new RsaSecurityKey(rsa) { KeyId = "rs256" }, SecurityAlgorithms.RsaSha256);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            error = secretFile is not null
                ? $"--auth-secret-file: cannot read {secretFile}: {e.Message}"
                : $"--state-dir: cannot load or create the signing key in {keyDir}: {e.Message}";
            return null;
        }
    }

    private static void WritePrivate(string path, string pem) => Hosting.PrivateFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }, overwrite: false);
}
