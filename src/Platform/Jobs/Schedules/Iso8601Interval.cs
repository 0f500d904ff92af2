using System.Globalization;
using System.Text.RegularExpressions;

namespace Minuet.Platform.Jobs.Schedules;

/// <summary>
/// Chronos's repeating interval <c>R[n]/[start]/period</c>. A bare <c>R</c> repeats forever, an empty start means
/// the time it is posted. With a time zone the start's fields are kept and read in that zone (Chronos's
/// Iso8601ExpressionParser: <c>13:00Z</c> with a Pacific zone is 13:00 Pacific), and the period is added in that
/// zone's wall time, so <c>P1D</c> stays at the same local hour across DST.
/// </summary>
internal sealed partial class Iso8601Interval : IScheduleTimes
{
    private readonly long? _repetitions;
    private readonly DateTime _startLocal;
    private readonly Period _period;
    private readonly TimeZoneInfo _zone;

    private Iso8601Interval(long? repetitions, DateTime startLocal, Period period, TimeZoneInfo zone)
    {
        _repetitions = repetitions;
        _startLocal = startLocal;
        _period = period;
        _zone = zone;
    }

    /// <summary>The first occurrence.</summary>
    public DateTimeOffset Start => ToInstant(_startLocal);

    public DateTimeOffset? NextAfter(DateTimeOffset after)
    {
        // Jump close with the period's approximate length, then walk: calendar periods vary in length.
        double approx = _period.ApproximateSeconds;
        long k = 0;
        var start = Start;
        if (after > start)
        {
            k = Math.Max(0, (long)((after - start).TotalSeconds / approx) - 2);
        }

        for (int guard = 0; guard < 100_000; guard++, k++)
        {
            if (_repetitions is { } n && k >= n)
            {
                return null;
            }

            var at = ToInstant(_period.AddTo(_startLocal, k));
            if (at > after)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>
    /// Parses <paramref name="text"/>; <paramref name="now"/> fills an empty start. Null with an error saying what was
    /// expected when it does not parse.
    /// </summary>
    public static Iso8601Interval? Parse(string text, TimeZoneInfo? zone, DateTimeOffset now, out string? error)
    {
        error = null;
        var match = Shape().Match(text);
        if (!match.Success)
        {
            error = $"'{text}' is not an ISO 8601 repeating interval; expected R[n]/[start]/period, e.g. 'R5/2026-01-01T00:00:00Z/PT1H' or 'R//P1D'";
            return null;
        }

        long? repetitions = null;
        if (match.Groups[1].Value.Length > 0)
        {
            if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                error = $"'{match.Groups[1].Value}' is not a repetition count";
                return null;
            }

            repetitions = n;
        }

        var period = Period.Parse(match.Groups[3].Value, out error);
        if (period is null)
        {
            return null;
        }

        zone ??= TimeZoneInfo.Utc;
        DateTime startLocal;
        string start = match.Groups[2].Value;
        if (start.Length == 0)
        {
            startLocal = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        }
        else if (DateTimeOffset.TryParse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            // The fields are what counts; with a zone given, the written offset is ignored (Chronos's behaviour).
            startLocal = zone == TimeZoneInfo.Utc ? parsed.UtcDateTime : parsed.DateTime;
        }
        else
        {
            error = $"start '{start}' is not an ISO 8601 date-time; expected e.g. '2026-01-01T00:00:00Z'";
            return null;
        }

        return new Iso8601Interval(repetitions, DateTime.SpecifyKind(startLocal, DateTimeKind.Unspecified), period, zone);
    }

    /// <summary>Wall time in the zone to an instant: a time inside a spring-forward gap moves past it, a repeated time takes its first instance.</summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        if (_zone.IsInvalidTime(local))
        {
            var adjustment = _zone.GetAdjustmentRules().FirstOrDefault(r => r.DateStart <= local && r.DateEnd >= local);
            local = local.Add(adjustment?.DaylightDelta ?? TimeSpan.FromHours(1));
        }

        var offset = _zone.IsAmbiguousTime(local) ? _zone.GetAmbiguousTimeOffsets(local).Max() : _zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    [GeneratedRegex(@"^R([0-9]*)/([^/]*)/(P[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
