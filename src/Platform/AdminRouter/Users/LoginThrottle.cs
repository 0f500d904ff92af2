using System.Collections.Concurrent;

namespace Minuet.Platform.AdminRouter.Users;

/// <summary>
/// Slows password guessing per uid: the first <see cref="FreeFailures"/> failures cost nothing, then each further
/// failure locks the uid for twice as long as the last (1 s, 2 s, 4 s ... up to <see cref="MaxLock"/>); while
/// locked, logins for that uid are refused with 429 and Retry-After without checking the password. A success clears
/// the count. Keyed by uid rather than client address: the point is to protect an account, and every client of a
/// one-machine cluster shares 127.0.0.1.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(5);

    // Bounded: a flood of made-up uids must not grow memory without end.
    private const int MaxTracked = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>How long the uid must still wait, or zero when it may try now.</summary>
    public TimeSpan RetryAfter(string uid)
    {
        if (!_entries.TryGetValue(uid, out var entry))
        {
            return TimeSpan.Zero;
        }

        var left = entry.LockedUntil - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    public void Failed(string uid)
    {
        if (_entries.Count >= MaxTracked && !_entries.ContainsKey(uid))
        {
            _entries.Clear();
        }

        var now = time.GetUtcNow();
        _entries.AddOrUpdate(
            uid,
            _ => new Entry(1, DateTimeOffset.MinValue),
            (_, e) =>
            {
                int failures = e.Failures + 1;
                if (failures <= FreeFailures)
                {
                    return new Entry(failures, DateTimeOffset.MinValue);
                }

                double seconds = Math.Min(MaxLock.TotalSeconds, Math.Pow(2, failures - FreeFailures - 1));
                return new Entry(failures, now + TimeSpan.FromSeconds(seconds));
            });
    }

    public void Succeeded(string uid) => _entries.TryRemove(uid, out _);

    private readonly record struct Entry(int Failures, DateTimeOffset LockedUntil);
}
