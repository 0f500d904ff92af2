using System.Globalization;
using Minuet.Platform.Jobs.Schedules;

namespace Minuet.Jobs.Tests;

public sealed class Iso8601IntervalTests
{
    private static DateTimeOffset T(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void NextAfter_R5_StopsAfterFiveOccurrences()
    {
        var interval = Iso8601Interval.Parse("R5/2026-01-01T00:00:00Z/PT1H", null, T("2026-06-01T00:00:00Z"), out var error)!;
        Assert.Null(error);
        var seen = new List<DateTimeOffset>();
        for (var at = interval.NextAfter(T("2025-12-31T00:00:00Z")); at is { } a; at = interval.NextAfter(a))
        {
            seen.Add(a);
        }

        Assert.Equal(5, seen.Count);
        Assert.Equal(T("2026-01-01T04:00:00Z"), seen[^1]);
    }

    [Fact]
    public void NextAfter_BareR_RepeatsForeverFromLongAgo()
    {
        var interval = Iso8601Interval.Parse("R/2026-01-01T00:00:00Z/PT1M", null, T("2026-06-01T00:00:00Z"), out _)!;
        Assert.Equal(T("2026-12-07T20:44:00Z"), interval.NextAfter(T("2026-12-07T20:43:17.5Z")));
    }

    [Fact]
    public void Parse_WithZone_KeepsTheFieldsAndIgnoresTheZ()
    {
        // Chronos's Iso8601ExpressionParserSpec: 13:00Z read in the Pacific zone is 13:00 there (21:00 UTC in winter).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var interval = Iso8601Interval.Parse("R/2008-03-01T13:00:00Z/P1D", zone, T("2008-01-01T00:00:00Z"), out _)!;
        Assert.Equal(T("2008-03-01T21:00:00Z"), interval.Start);

        // P1D is added in wall time: after the spring-forward (2008-03-09) 13:00 Pacific is 20:00 UTC.
        Assert.Equal(T("2008-03-10T20:00:00Z"), interval.NextAfter(T("2008-03-10T00:00:00Z")));
    }
}
