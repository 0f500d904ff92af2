using System.Runtime.InteropServices;

namespace Minuet.Cli.Verbs;

/// <summary>
/// SIGTERM and SIGINT cancel <see cref="Token"/> instead of ending the process, so a long-running verb stops
/// cleanly (stores closed, kernel rules removed). The web host's console lifetime would swallow them otherwise.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _onTerm;
    private readonly PosixSignalRegistration _onInt;

    public StopSignals(CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>Cancelled by a signal or by the token given at construction.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _onInt.Dispose();
        _onTerm.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stop.Cancel();
    }
}
