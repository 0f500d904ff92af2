namespace Minuet.Platform.Jobs.Schedules;

/// <summary>The occurrences of a schedule.</summary>
internal interface IScheduleTimes
{
    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there are no more.</summary>
    DateTimeOffset? NextAfter(DateTimeOffset after);
}
