using System.Collections.Concurrent;
using System.Security.Claims;

namespace Minuet.Platform.AdminRouter.Auth;

/// <summary>
/// Tokens already validated, so a client sending the same token on every request (the CLI, a UI) costs one
/// signature check per minute rather than one per request. An entry lives until the token's <c>exp</c> or
/// <see cref="MaxAge"/>, whichever comes first; the map is cleared whole when it reaches <see cref="MaxEntries"/>
/// (a flood of distinct valid tokens only costs the checks the cache would have saved). Only successes are kept.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ClaimsPrincipal? Find(string token)
    {
        if (_entries.TryGetValue(token, out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                return entry.Principal;
            }

            _entries.TryRemove(token, out _);
        }

        return null;
    }

    public void Add(string token, ClaimsPrincipal principal, DateTimeOffset? expires)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var until = time.GetUtcNow() + MaxAge;
        if (expires is { } exp && exp < until)
        {
            until = exp;
        }

        _entries[token] = new Entry(principal, until);
    }

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
