using System.Runtime.InteropServices;

namespace Minuet.Cli.Verbs;

/// <summary>
/// SIGTERM and SIGINT cancel <see cref="Token"/> instead of ending the process, so a long-running verb stops
/// cleanly (stores closed, kernel rules removed). The web host's console lifetime would swallow them otherwise.
/// Both are taken whatever disposition was inherited (<see cref="SignalDefaults"/>).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _onTerm;
    private readonly PosixSignalRegistration _onInt;
    private readonly PosixSignalRegistration? _onHup;

    /// <param name="cancellationToken">Also stops the verb when cancelled.</param>
    /// <param name="hangup">SIGHUP stops too: for <c>up</c>, whose children (in their own process groups) miss the terminal's hangup.</param>
    public StopSignals(CancellationToken cancellationToken, bool hangup = false)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        SignalDefaults.Restore(); // else an inherited SIG_IGN (a background job of a script) keeps SIGINT from us
        _onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _onHup = hangup ? PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal) : null;
    }

    /// <summary>Cancelled by a signal or by the token given at construction.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _onHup?.Dispose();
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
