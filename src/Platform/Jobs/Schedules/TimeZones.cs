namespace Minuet.Platform.Jobs.Schedules;

/// <summary>IANA time zone names only: abbreviations such as <c>PST</c> were the root of Chronos's DST confusion.</summary>
internal static class TimeZones
{
    public static TimeZoneInfo? Find(string name, out string? error)
    {
        error = null;
        if (name is "UTC" or "Etc/UTC" or "Z")
        {
            return TimeZoneInfo.Utc;
        }

        // An IANA name is Area/Location (plus a few Etc/ names); a bare abbreviation is refused even where the OS knows it.
        if (!name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            error = $"'{name}' is not an IANA time zone name (expected e.g. 'Europe/Berlin', 'America/New_York' or 'UTC')";
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"'{name}' is not a known IANA time zone (expected e.g. 'Europe/Berlin', 'America/New_York' or 'UTC')";
            return null;
        }
    }
}
