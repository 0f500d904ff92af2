using System.Threading.Channels;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// What <see cref="FrameworkDriver"/> needs of a framework's core (the scheduler's, the jobs service's): the events it
/// handles, the calls it decided on, and what it does when the master refuses one.
/// </summary>
internal interface IFrameworkCore
{
    /// <summary>Null until the first subscription; calls wait for it.</summary>
    string? FrameworkId { get; }

    ChannelReader<MasterCommand> Outbox { get; }

    void OnSubscribed(SubscribedEvent subscribed);

    void HandleOffers(IReadOnlyList<OfferInfo> offers);

    void HandleUpdate(SchedulerStatus status);

    /// <summary>The master refused <paramref name="command"/>: undo or retry what it stood for.</summary>
    void OnCommandFailed(MasterCommand command, MasterError error);
}
