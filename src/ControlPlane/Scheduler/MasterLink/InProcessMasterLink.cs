using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>The scheduler and the master in one process: calls go straight to <see cref="MasterCore"/>.</summary>
internal sealed class InProcessMasterLink(MasterCore master) : IMasterLink
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    public async Task RunAsync(Func<SubscribeRequest> request, Func<SchedulerEvent, Task> onEvent, Action onDisconnected, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var (connection, error) = master.Subscribe(request());
            if (connection is null)
            {
                await Task.Delay(Retry, cancellationToken).ConfigureAwait(false);
                _ = error;
                continue;
            }

            try
            {
                await foreach (var e in connection.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    await onEvent(e).ConfigureAwait(false);
                }
            }
            finally
            {
                master.Disconnect(connection);
                onDisconnected();
            }

            // The master closed the stream (a newer subscription, or teardown): come back after a pause.
            await Task.Delay(Retry, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<MasterError?> AcceptAsync(string frameworkId, AcceptRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(master.Accept(frameworkId, request));

    public Task<MasterError?> DeclineAsync(string frameworkId, DeclineRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(master.Decline(frameworkId, request));

    public Task<MasterError?> KillAsync(string frameworkId, KillRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(master.Kill(frameworkId, request));

    public Task<MasterError?> AcknowledgeAsync(string frameworkId, AcknowledgeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(master.Acknowledge(frameworkId, request));

    public Task<MasterError?> ReconcileAsync(string frameworkId, ReconcileRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(master.Reconcile(frameworkId, request));

    public Task<MasterError?> ReviveAsync(string frameworkId, CancellationToken cancellationToken) =>
        Task.FromResult(master.Revive(frameworkId));
}
