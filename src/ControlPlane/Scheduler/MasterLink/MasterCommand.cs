using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.MasterLink;

/// <summary>
/// A call the scheduler decided on under its lock and sends afterwards, in order, from one pump (so no master call
/// ever runs under the scheduler lock).
/// </summary>
internal abstract record MasterCommand
{
    public abstract Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken);
}

/// <summary>Launch tasks on an offer's resources; <paramref name="Retry"/> when resent without tasks the master refused.</summary>
internal sealed record AcceptCommand(AcceptRequest Request, bool Retry = false) : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.AcceptAsync(frameworkId, Request, cancellationToken);
}

/// <summary>Return offers the scheduler has no use for.</summary>
internal sealed record DeclineCommand(DeclineRequest Request) : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.DeclineAsync(frameworkId, Request, cancellationToken);
}

/// <summary>Kill one task.</summary>
internal sealed record KillCommand(KillRequest Request) : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.KillAsync(frameworkId, Request, cancellationToken);
}

/// <summary>Acknowledge a status update.</summary>
internal sealed record AcknowledgeCommand(AcknowledgeRequest Request) : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.AcknowledgeAsync(frameworkId, Request, cancellationToken);
}

/// <summary>Ask for the state of tasks (empty = all of the framework's).</summary>
internal sealed record ReconcileCommand(ReconcileRequest Request) : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.ReconcileAsync(frameworkId, Request, cancellationToken);
}

/// <summary>Clear decline filters: something new wants offers.</summary>
internal sealed record ReviveCommand : MasterCommand
{
    public override Task<MasterError?> SendAsync(IMasterLink link, string frameworkId, CancellationToken cancellationToken) =>
        link.ReviveAsync(frameworkId, cancellationToken);
}
