using System.Globalization;
using System.Text.RegularExpressions;

namespace Minuet.Platform.Jobs.Schedules;

/// <summary>An ISO 8601 duration <c>PnYnMnWnDTnHnMnS</c>, added field by field (calendar parts in wall time).</summary>
internal sealed partial record Period(int Years, int Months, int Weeks, int Days, int Hours, int Minutes, int Seconds)
{
    public double ApproximateSeconds =>
        (Years * 365.2425 * 86400) + (Months * 30.436875 * 86400) + (Weeks * 7 * 86400) + (Days * 86400.0) + (Hours * 3600.0) + (Minutes * 60.0) + Seconds;

    public DateTime AddTo(DateTime start, long times)
    {
        var at = start;
        if (Years != 0 || Months != 0)
        {
            at = at.AddMonths(checked((int)(times * ((Years * 12) + Months))));
        }

        if (Weeks != 0 || Days != 0)
        {
            at = at.AddDays(times * ((Weeks * 7.0) + Days));
        }

        return at.AddSeconds(times * ((Hours * 3600.0) + (Minutes * 60.0) + Seconds));
    }

    public static Period? Parse(string text, out string? error)
    {
        error = null;
        var m = Shape().Match(text);
        if (!m.Success || text is "P" or "PT")
        {
            error = $"period '{text}' is not an ISO 8601 duration; expected e.g. 'PT1H', 'P1D', 'PT30M'";
            return null;
        }

        int Field(int group) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var period = new Period(Field(1), Field(2), Field(3), Field(4), Field(5), Field(6), Field(7));
        if (period.ApproximateSeconds < 1)
        {
            error = $"period '{text}' is zero; expected a positive duration";
            return null;
        }

        return period;
    }

    [GeneratedRegex(@"^P(?:([0-9]{1,6})Y)?(?:([0-9]{1,6})M)?(?:([0-9]{1,6})W)?(?:([0-9]{1,6})D)?(?:T(?:([0-9]{1,6})H)?(?:([0-9]{1,6})M)?(?:([0-9]{1,6})S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
