using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.Launching;

/// <summary>One offer an app could not use, and why (Marathon's <c>lastUnusedOffers</c> entry).</summary>
internal sealed record UnusedOffer(OfferInfo Offer, IReadOnlyList<string> Reasons, DateTimeOffset At);

/// <summary>
/// How the offers seen while an app waited for launches went: Marathon's <c>processedOffersSummary</c> (counts, the
/// rejection funnel) and <c>lastUnusedOffers</c>, so an app that no offer can hold says why in <c>/v2/queue</c>.
/// Kept in memory only, as Marathon does; it starts over when the app has nothing left to launch.
/// </summary>
internal sealed class OfferStats
{
    /// <summary>Marathon keeps a bounded window of unused offers per app.</summary>
    public const int UnusedKept = 10;

    private readonly Queue<UnusedOffer> _unused = new();

    public int Processed { get; private set; }

    public int Unused { get; private set; }

    public DateTimeOffset? LastUnusedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>Offers declined at each funnel stage (the first reason they failed).</summary>
    public Dictionary<string, int> DeclinedAt { get; } = new(StringComparer.Ordinal);

    public IEnumerable<UnusedOffer> LastUnused => _unused;

    public void RecordUsed(DateTimeOffset now)
    {
        Processed++;
        LastUsedAt = now;
    }

    public void RecordUnused(OfferInfo offer, IReadOnlyList<string> reasons, DateTimeOffset now)
    {
        Processed++;
        Unused++;
        LastUnusedAt = now;
        var first = OfferReasons.Funnel.FirstOrDefault(r => reasons.Contains(r)) ?? OfferReasons.DeclinedScarceResources;
        DeclinedAt[first] = DeclinedAt.GetValueOrDefault(first) + 1;
        _unused.Enqueue(new UnusedOffer(offer, reasons, now));
        while (_unused.Count > UnusedKept)
        {
            _unused.Dequeue();
        }
    }

    /// <summary>Marathon's funnel: for each reason, how many offers reached that check and how many it declined.</summary>
    public IEnumerable<(string Reason, int Declined, int Processed)> Funnel()
    {
        int reaching = Processed;
        foreach (var reason in OfferReasons.Funnel)
        {
            int declined = DeclinedAt.GetValueOrDefault(reason);
            yield return (reason, declined, reaching);
            reaching -= declined;
        }
    }
}
