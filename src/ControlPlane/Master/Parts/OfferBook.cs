using System.Diagnostics.CodeAnalysis;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// Outstanding offers: their ids (<c>&lt;masterId&gt;-O&lt;n&gt;</c>) and every change to a framework's offers, each
/// of which marks the framework in the published state view (its <c>offers</c> and <c>offered_resources</c>).
/// The offers themselves sit on their <see cref="FrameworkEntry"/>. Guarded by the master lock.
/// </summary>
internal sealed class OfferBook(Action<string> frameworkChanged) : IOfferBook
{
    private long _next;

    public string NextId(string masterId) => $"{masterId}-O{_next++}";

    public void Add(FrameworkEntry framework, OfferEntry offer)
    {
        framework.Offers[offer.Id] = offer;
        frameworkChanged(framework.Id);
    }

    public bool Remove(FrameworkEntry framework, string offerId, [MaybeNullWhen(false)] out OfferEntry offer)
    {
        if (!framework.Offers.Remove(offerId, out offer))
        {
            return false;
        }

        frameworkChanged(framework.Id);
        return true;
    }

    public List<(FrameworkEntry Framework, OfferEntry Offer)> RemoveAllOn(string agentId, IEnumerable<FrameworkEntry> frameworks)
    {
        var taken = new List<(FrameworkEntry, OfferEntry)>();
        foreach (var framework in frameworks)
        {
            foreach (var offer in framework.Offers.Values.Where(o => o.AgentId == agentId).ToList())
            {
                Remove(framework, offer.Id, out _);
                taken.Add((framework, offer));
            }
        }

        return taken;
    }

    public Allocation.Resources OfferedOn(string agentId, IEnumerable<FrameworkEntry> frameworks)
    {
        var offered = Allocation.Resources.Empty;
        foreach (var framework in frameworks)
        {
            foreach (var offer in framework.Offers.Values)
            {
                if (offer.AgentId == agentId)
                {
                    offered += offer.Slice.Total;
                }
            }
        }

        return offered;
    }

    /// <summary>Takes every offer of the framework; returns them for rescinding.</summary>
    public List<OfferEntry> RemoveAll(FrameworkEntry framework)
    {
        List<OfferEntry> all = [.. framework.Offers.Values];
        framework.Offers.Clear();
        frameworkChanged(framework.Id);
        return all;
    }
}
