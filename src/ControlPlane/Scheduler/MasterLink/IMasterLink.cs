using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// The scheduler's connection to the master's framework API: one subscription delivering events (re-subscribing
/// with the same framework id after a loss) and the calls. In process (<see cref="InProcessMasterLink"/>) or over
/// HTTP (<see cref="HttpMasterLink"/>).
/// </summary>
internal interface IMasterLink
{
    /// <summary>
    /// Subscribes and delivers every event to <paramref name="onEvent"/> until cancelled, re-subscribing after a lost
    /// connection. <paramref name="request"/> is asked each time so a re-subscription carries the framework id;
    /// <paramref name="onDisconnected"/> runs each time a subscription ends.
    /// </summary>
    Task RunAsync(Func<SubscribeRequest> request, Func<SchedulerEvent, Task> onEvent, Action onDisconnected, CancellationToken cancellationToken);

    Task<MasterError?> AcceptAsync(string frameworkId, AcceptRequest request, CancellationToken cancellationToken);

    Task<MasterError?> DeclineAsync(string frameworkId, DeclineRequest request, CancellationToken cancellationToken);

    Task<MasterError?> KillAsync(string frameworkId, KillRequest request, CancellationToken cancellationToken);

    Task<MasterError?> AcknowledgeAsync(string frameworkId, AcknowledgeRequest request, CancellationToken cancellationToken);

    Task<MasterError?> ReconcileAsync(string frameworkId, ReconcileRequest request, CancellationToken cancellationToken);

    Task<MasterError?> ReviveAsync(string frameworkId, CancellationToken cancellationToken);
}
