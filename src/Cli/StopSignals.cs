using System.Runtime.InteropServices;

namespace Minuet.Cli;

/// <summary>
/// A token cancelled by SIGTERM or SIGINT (or the caller's token), for the long-running verbs.
/// The web hosts' console lifetime would otherwise swallow these signals, and <c>minuet up</c> stops its children
/// with SIGTERM: each verb must turn it into its own clean shutdown (closing stores, removing kernel rules).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public StopSignals(CancellationToken outer)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    public CancellationToken Token => _stop.Token;

    public bool IsStopRequested => _stop.IsCancellationRequested;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _stop.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        // Cancelling the default action keeps the process alive long enough to clean up.
        context.Cancel = true;
        _stop.Cancel();
    }
}
