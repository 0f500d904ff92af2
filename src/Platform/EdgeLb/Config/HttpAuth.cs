using System.Text.RegularExpressions;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// <c>HAPROXY_{n}_AUTH</c> = <c>realm:user:password-hash</c> (marathon-lb's <c>set_auth</c>): a userlist
/// <c>user_&lt;backend&gt;</c> and a basic-auth challenge on the app's vhost routes. The hash is crypt(3) output, as
/// HAProxy's <c>password</c> keyword expects (e.g. <c>mkpasswd -m sha-512</c>).
/// </summary>
internal sealed partial record HttpAuth(string Realm, string User, string PasswordHash)
{
    /// <summary>The value read, or the problem with it.</summary>
    public static (HttpAuth? Auth, string? Problem) Parse(string raw)
    {
        string[] parts = raw.Split(':');
        if (parts.Length != 3)
        {
            // Never echo the value: problems are logged and exported, and it may hold a password hash.
            return (null, $"not realm:user:password-hash (3 fields separated by ':', got {parts.Length})");
        }

        if (parts[0].Length == 0 || parts[0].AsSpan().IndexOfAny("\"\\") >= 0)
        {
            return (null, "the realm is empty or contains '\"' or '\\'");
        }

        if (!UserName().IsMatch(parts[1]))
        {
            return (null, $"the user '{parts[1]}' is empty or not letters, digits, '.', '_', '-', '@'");
        }

        if (!CryptHash().IsMatch(parts[2]))
        {
            return (null, "the password is not a crypt(3) hash ($1$, $5$, $6$, $2y$, $y$... or 13-character DES)");
        }

        return (new HttpAuth(parts[0], parts[1], parts[2]), null);
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@-]+$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^(\$[0-9a-z]{1,2}\$[./0-9A-Za-z$=,]+|[./0-9A-Za-z]{13})$")]
    private static partial Regex CryptHash();
}
