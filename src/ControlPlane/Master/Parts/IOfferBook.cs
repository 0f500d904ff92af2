using System.Diagnostics.CodeAnalysis;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The offers part of the master: offer ids and every change to a framework's outstanding offers (each marks the
/// framework in the published state view). Guarded by the master lock.
/// </summary>
internal interface IOfferBook
{
    string NextId(string masterId);

    void Add(FrameworkEntry framework, OfferEntry offer);

    bool Remove(FrameworkEntry framework, string offerId, [MaybeNullWhen(false)] out OfferEntry offer);

    /// <summary>Takes every offer of the framework; returns them for rescinding.</summary>
    List<OfferEntry> RemoveAll(FrameworkEntry framework);

    /// <summary>Takes every offer on the agent, with the framework each was made to; returns them for rescinding.</summary>
    List<(FrameworkEntry Framework, OfferEntry Offer)> RemoveAllOn(string agentId, IEnumerable<FrameworkEntry> frameworks);

    /// <summary>What is offered on the agent, over <paramref name="frameworks"/>.</summary>
    Allocation.Resources OfferedOn(string agentId, IEnumerable<FrameworkEntry> frameworks);
}
