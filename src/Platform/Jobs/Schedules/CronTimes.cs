using Cronos;

namespace Minuet.Platform.Jobs.Schedules;

/// <summary>
/// A 5-field cron in a time zone, through Cronos: a time skipped by a spring-forward runs once at the transition, an
/// hour repeated by a fall-back runs once (not twice).
/// </summary>
internal sealed class CronTimes(CronExpression expression, TimeZoneInfo zone) : IScheduleTimes
{
    public DateTimeOffset? NextAfter(DateTimeOffset after) => expression.GetNextOccurrence(after, zone, inclusive: false);

    public static CronTimes? Parse(string cron, TimeZoneInfo zone, out string? error)
    {
        error = null;
        int fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 5)
        {
            error = $"'{cron}' has {fields} fields; expected 5 (minute hour day-of-month month day-of-week)";
            return null;
        }

        try
        {
            return new CronTimes(CronExpression.Parse(cron, CronFormat.Standard), zone);
        }
        catch (CronFormatException e)
        {
            error = $"'{cron}' is not a valid 5-field cron: {e.Message}";
            return null;
        }
    }
}
